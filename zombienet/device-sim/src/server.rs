//! The HTTP server: serves the device protocol for many simulated devices on one port.
//!
//! Device `n` (0-based, in the order given) answers under `/{n}`, so its endpoint is
//! `http://ADDRESS/{n}` and its identity is at `http://ADDRESS/{n}/v1/identity`. With a single
//! device it also answers at the root. `GET /{n}/sim/equivocations` lists the pairs of
//! heartbeats an equivocating device signed, for `proofs.report_equivocation`; `GET /sim/makers`
//! lists the simulated makers' roots and revoked serial numbers, for governance to admit and
//! revoke them.

use crate::device::{Answer, Fault, SimDevice};
use crate::maker::Maker;
use depin_primitives::protocol::{
	ATTESTATION_PATH, HEARTBEAT_PATH, IDENTITY_PATH, POSSESSION_PATH, RECOVERY_PATH,
	STORAGE_PROOF_PATH,
};
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::{
	body::{Bytes, Incoming},
	header, Method, Request, Response, StatusCode,
};
use hyper_util::rt::TokioIo;
use std::{
	io,
	pin::Pin,
	sync::Arc,
	task::{Context, Poll},
};
use tokio::net::TcpListener;

/// Largest request body a device accepts.
const MAX_REQUEST: usize = 64 * 1024;

/// Path of the equivocation listing (simulator only).
pub const EQUIVOCATIONS_PATH: &str = "/sim/equivocations";

/// Path of the simulated makers' listing (simulator only, not under a device).
pub const MAKERS_PATH: &str = "/sim/makers";

/// Serves `devices`, made by `makers`, on `listener` until the task is dropped.
pub async fn serve(
	listener: TcpListener,
	devices: Arc<Vec<SimDevice>>,
	makers: Arc<Vec<Maker>>,
) -> io::Result<()> {
	loop {
		let (stream, _) = listener.accept().await?;
		let (devices, makers) = (devices.clone(), makers.clone());
		tokio::spawn(async move {
			let service = hyper::service::service_fn(move |request| {
				let (devices, makers) = (devices.clone(), makers.clone());
				async move { handle(&devices, &makers, request).await }
			});
			// A device that stays silent ends its connection with an error: nothing to report.
			let _ = hyper::server::conn::http1::Builder::new()
				.serve_connection(TokioIo::new(stream), service)
				.await;
		});
	}
}

/// The device a path addresses, and the rest of the path.
fn route<'a>(devices: &'a [SimDevice], path: &'a str) -> Option<(&'a SimDevice, &'a str)> {
	if devices.len() == 1 && path.starts_with("/v1/") {
		return devices.first().map(|d| (d, path));
	}
	let rest = path.strip_prefix('/')?;
	let (index, rest) = rest.split_at(rest.find('/')?);
	devices.get(index.parse::<usize>().ok()?).map(|d| (d, rest))
}

/// What the server answers: a whole body, or one that stalls.
type Body = Either<Full<Bytes>, StallingBody>;

/// A body that yields its first bytes, then never another nor its end (the `stall` fault).
pub struct StallingBody {
	first: Option<Bytes>,
}

impl hyper::body::Body for StallingBody {
	type Data = Bytes;
	type Error = io::Error;

	fn poll_frame(
		mut self: Pin<&mut Self>,
		_: &mut Context<'_>,
	) -> Poll<Option<Result<hyper::body::Frame<Bytes>, io::Error>>> {
		match self.first.take() {
			Some(bytes) => Poll::Ready(Some(Ok(hyper::body::Frame::data(bytes)))),
			// Never woken again: the connection stays open, the body unfinished.
			None => Poll::Pending,
		}
	}
}

async fn handle(
	devices: &[SimDevice],
	makers: &[Maker],
	request: Request<Incoming>,
) -> Result<Response<Body>, io::Error> {
	let path = request.uri().path().to_owned();
	let method = request.method().clone();
	if method == Method::GET && path == MAKERS_PATH {
		let listing: Vec<_> = makers.iter().map(Maker::listing).collect();
		return Ok(match serde_json::to_string(&listing) {
			Ok(text) => respond(StatusCode::OK, "application/json", text),
			Err(e) => respond(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", e.to_string()),
		});
	}
	let Some((device, rest)) = route(devices, &path) else {
		return Ok(respond(StatusCode::NOT_FOUND, "text/plain", format!("no device at {path}")));
	};
	let body = match Limited::new(request.into_body(), MAX_REQUEST).collect().await {
		Ok(body) => body.to_bytes(),
		Err(e) => return Ok(respond(StatusCode::BAD_REQUEST, "text/plain", e.to_string())),
	};
	if method == Method::POST {
		device.firmware().provision().await;
	}
	let answer = match (method, rest) {
		(Method::GET, IDENTITY_PATH) => device.identity(),
		(Method::GET, ATTESTATION_PATH) => device.attestation(),
		(Method::POST, RECOVERY_PATH) => device.recovery(&body),
		(Method::POST, HEARTBEAT_PATH) => device.heartbeat(&body),
		(Method::POST, STORAGE_PROOF_PATH) => device.storage_proof(&body),
		(Method::POST, POSSESSION_PATH) => device.proof_of_possession(&body),
		(Method::GET, EQUIVOCATIONS_PATH) => match serde_json::to_string(&device.equivocations()) {
			Ok(text) => Answer::Json(text),
			Err(e) => Answer::BadRequest(e.to_string()),
		},
		(method, rest) => {
			return Ok(respond(StatusCode::NOT_FOUND, "text/plain", format!("no {method} {rest}")))
		},
	};
	if let Some(Fault::Slow(delay)) = device.fault() {
		tokio::time::sleep(delay).await;
	}
	if let (Some(Fault::Stall), Answer::Json(text)) = (device.fault(), &answer) {
		if rest != IDENTITY_PATH {
			let head = Bytes::copy_from_slice(&text.as_bytes()[..text.len().min(16)]);
			let mut response = Response::new(Either::Right(StallingBody { first: Some(head) }));
			if let Ok(value) = header::HeaderValue::from_str("application/json") {
				response.headers_mut().insert(header::CONTENT_TYPE, value);
			}
			// A length the body never reaches: the client waits for the rest.
			if let Ok(value) = header::HeaderValue::from_str(&text.len().to_string()) {
				response.headers_mut().insert(header::CONTENT_LENGTH, value);
			}
			return Ok(response);
		}
	}
	Ok(match answer {
		Answer::Json(text) => respond(StatusCode::OK, "application/json", text),
		Answer::Garbage(bytes) => respond(StatusCode::OK, "application/json", bytes),
		Answer::BadRequest(reason) => respond(StatusCode::BAD_REQUEST, "text/plain", reason),
		Answer::Forbidden(reason) => respond(StatusCode::FORBIDDEN, "text/plain", reason),
		Answer::NotFound(reason) => respond(StatusCode::NOT_FOUND, "text/plain", reason),
		Answer::Unavailable(reason) => {
			respond(StatusCode::SERVICE_UNAVAILABLE, "text/plain", reason)
		},
		Answer::Silence => return Err(io::Error::other("the device is offline")),
	})
}

fn respond(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
	let mut response = Response::new(Either::Left(Full::new(body.into())));
	*response.status_mut() = status;
	if let Ok(value) = header::HeaderValue::from_str(content_type) {
		response.headers_mut().insert(header::CONTENT_TYPE, value);
	}
	response
}
