//! The referendum tracks: one per kind of privilege, each with the deposit, periods and
//! approval and support curves `docs/governance.md` justifies. Shaped as Polkadot's tracks
//! (`polkadot-fellows/runtimes`, `relay/polkadot/src/governance/tracks.rs`), with a 14-day
//! decision period (Polkadot: 28) for a younger, smaller network.

use super::origins;
use crate::{Balance, BlockNumber, Runtime, RuntimeOrigin, DAYS, DPN, HOURS, MINUTES};
use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, FixedI64};

/// `x` percent, for the curves.
const fn percent(x: i32) -> FixedI64 {
	FixedI64::from_rational(x as u128, 100)
}

// Root and emission: the most conservative. Approval falls from 100% to 50% (reciprocal, 80%
// at 4/28 of the period); support falls linearly from 50% to 0 over the whole period.
const APP_ROOT: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
const SUP_ROOT: Curve = Curve::make_linear(28, 28, percent(0), percent(50));
// Administration of devices, slashes and validators (Polkadot's staking admin): approval falls
// linearly from 100% to 50% over 17/28 of the period; support falls fast from 50% towards 0
// (1% at 12/28), so a well-supported decision passes in hours, a quiet one in days.
const APP_ADMIN: Curve = Curve::make_linear(17, 28, percent(50), percent(100));
const SUP_ADMIN: Curve = Curve::make_reciprocal(12, 28, percent(1), percent(0), percent(50));
// Treasury spends up to the treasurer's limit: as root.
const APP_TREASURER: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
const SUP_TREASURER: Curve = Curve::make_linear(28, 28, percent(0), percent(50));
// Whitelisted calls: the technical committee has vouched, so support can be low, but approval
// must be near unanimous for days.
const APP_WHITELISTED: Curve =
	Curve::make_reciprocal(16, 28 * 24, percent(96), percent(50), percent(100));
const SUP_WHITELISTED: Curve = Curve::make_reciprocal(1, 28, percent(20), percent(5), percent(50));

/// The root track.
pub const ROOT: u16 = 0;
/// The track of calls the technical committee whitelisted.
pub const WHITELISTED_CALLER: u16 = 1;
/// The track of device classes and makers.
pub const DEVICE_ADMIN: u16 = 10;
/// The track of slashes and suspensions.
pub const SLASH_ADMIN: u16 = 11;
/// The track of validator admission.
pub const VALIDATOR_ADMIN: u16 = 12;
/// The track of the emission schedule.
pub const EMISSION_ADMIN: u16 = 13;
/// The track of treasury spends.
pub const TREASURER: u16 = 14;
/// The track that cancels referenda.
pub const REFERENDUM_CANCELLER: u16 = 20;

/// A track of `name` with these terms.
#[allow(clippy::too_many_arguments)]
const fn track(
	id: u16,
	name: &str,
	max_deciding: u32,
	decision_deposit: Balance,
	prepare_period: BlockNumber,
	decision_period: BlockNumber,
	confirm_period: BlockNumber,
	min_enactment_period: BlockNumber,
	curves: (Curve, Curve),
) -> Track<u16, Balance, BlockNumber> {
	Track {
		id,
		info: TrackInfo {
			name: s(name),
			max_deciding,
			decision_deposit,
			prepare_period,
			decision_period,
			confirm_period,
			min_enactment_period,
			min_approval: curves.0,
			min_support: curves.1,
		},
	}
}

/// Every track, sorted by id.
const TRACKS: [Track<u16, Balance, BlockNumber>; 8] = [
	track(ROOT, "root", 1, 100_000 * DPN, 2 * HOURS, 14 * DAYS, DAYS, DAYS, (APP_ROOT, SUP_ROOT)),
	track(
		WHITELISTED_CALLER,
		"whitelisted_caller",
		100,
		10_000 * DPN,
		30 * MINUTES,
		14 * DAYS,
		10 * MINUTES,
		10 * MINUTES,
		(APP_WHITELISTED, SUP_WHITELISTED),
	),
	track(
		DEVICE_ADMIN,
		"device_admin",
		10,
		5_000 * DPN,
		HOURS,
		14 * DAYS,
		3 * HOURS,
		10 * MINUTES,
		(APP_ADMIN, SUP_ADMIN),
	),
	track(
		SLASH_ADMIN,
		"slash_admin",
		10,
		5_000 * DPN,
		10 * MINUTES,
		7 * DAYS,
		HOURS,
		MINUTES,
		(APP_ADMIN, SUP_ADMIN),
	),
	track(
		VALIDATOR_ADMIN,
		"validator_admin",
		10,
		5_000 * DPN,
		HOURS,
		14 * DAYS,
		3 * HOURS,
		10 * MINUTES,
		(APP_ADMIN, SUP_ADMIN),
	),
	track(
		EMISSION_ADMIN,
		"emission_admin",
		1,
		50_000 * DPN,
		2 * HOURS,
		14 * DAYS,
		DAYS,
		DAYS,
		(APP_ROOT, SUP_ROOT),
	),
	track(
		TREASURER,
		"treasurer",
		10,
		10_000 * DPN,
		2 * HOURS,
		14 * DAYS,
		DAYS,
		DAYS,
		(APP_TREASURER, SUP_TREASURER),
	),
	// Polkadot's referendum_canceller: many at once (one per referendum to cancel), decided
	// in hours with support, as the admin tracks.
	track(
		REFERENDUM_CANCELLER,
		"referendum_canceller",
		1_000,
		10_000 * DPN,
		2 * HOURS,
		7 * DAYS,
		3 * HOURS,
		10 * MINUTES,
		(APP_ADMIN, SUP_ADMIN),
	),
];

/// `track` with each period divided by `divisor` (more than 1), one block at least.
fn shortened(
	track: &Track<u16, Balance, BlockNumber>,
	divisor: u32,
) -> Track<u16, Balance, BlockNumber> {
	let short = |period: BlockNumber| (period / divisor).max(1);
	let mut track = track.clone();
	let info = &mut track.info;
	info.prepare_period = short(info.prepare_period);
	info.decision_period = short(info.decision_period);
	info.confirm_period = short(info.confirm_period);
	info.min_enactment_period = short(info.min_enactment_period);
	track
}

/// The tracks, and which origin each dispatches with.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	/// The tracks; on a development network (`DevPeriodDivisor` set at genesis) with every
	/// period divided by the divisor, one block at least.
	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		let divisor = origins::DevPeriodDivisor::<Runtime>::get().filter(|d| *d > 1);
		TRACKS.iter().map(move |track| match divisor {
			None => Cow::Borrowed(track),
			Some(divisor) => Cow::Owned(shortened(track, divisor)),
		})
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		if let Ok(system_origin) = frame_system::RawOrigin::try_from(origin.clone()) {
			match system_origin {
				frame_system::RawOrigin::Root => Ok(ROOT),
				_ => Err(()),
			}
		} else if let Ok(custom) = origins::Origin::try_from(origin.clone()) {
			Ok(match custom {
				origins::Origin::WhitelistedCaller => WHITELISTED_CALLER,
				origins::Origin::DeviceAdmin => DEVICE_ADMIN,
				origins::Origin::SlashAdmin => SLASH_ADMIN,
				origins::Origin::ValidatorAdmin => VALIDATOR_ADMIN,
				origins::Origin::EmissionAdmin => EMISSION_ADMIN,
				origins::Origin::Treasurer => TREASURER,
				origins::Origin::ReferendumCanceller => REFERENDUM_CANCELLER,
			})
		} else {
			Err(())
		}
	}
}
