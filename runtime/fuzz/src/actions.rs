//! What the fuzz input drives: a sequence of actions, each read from the input's bytes. Most
//! build near-valid calls of our pallets (real signatures by the devices' keys, the challenges
//! the chain asks for, the owners' accounts) and sometimes spoil one part of them; the rest are
//! blocks, transfers, governance by referendum (as on a dev network: Alice holds most of the
//! stake, tracks decide in blocks), replays of earlier extrinsics, and any call of the runtime
//! decoded from raw bytes, from a random origin.

use crate::{
	chain::{Chain, Outcome},
	genesis::{
		account, honest_readings, is_honest, Fixture, ACCOUNTS, DATASET_CHUNKS, DEVICE_KEYS,
		GENESIS_DEVICES, STORAGE_DEVICES,
	},
	Stats,
};
use arbitrary::{Result, Unstructured};
use codec::DecodeLimit;
use codec::Encode;
use depin_primitives::{
	signing_message, Balance, DeviceId, DeviceSignature, Heartbeat, LeafProof, OffenceKind,
	Reading, SignedPayload, SigningDomain, StorageProof, SuspensionReason,
};
use depin_runtime::{
	governance::pallet_custom_origins::Origin, Devices, OriginCaller, Proofs, Runtime, RuntimeCall,
	UncheckedExtrinsic, DPN,
};
use frame_support::BoundedVec;
use sp_core::{Pair, H256};
use sp_io::TestExternalities;

/// The in-memory state of test externalities.
pub type InMemoryBackend = sp_state_machine::InMemoryBackend<sp_core::Blake2Hasher>;
use sp_runtime::{MultiAddress, MultiSignature, Perbill};

/// Most blocks one input builds.
pub const MAX_BLOCKS: u32 = 64;

/// Most extrinsics one input applies.
pub const MAX_EXTRINSICS: u64 = 400;

/// Included extrinsics kept for replays.
const HISTORY: usize = 64;

/// How a call reaches the chain.
#[derive(Clone, Copy, Debug)]
enum Via {
	/// Signed by account `ACCOUNTS[n]`.
	Signed(usize),
	/// A general transaction that the call's `authorize` must accept (device proofs).
	Authorized,
	/// Bare (unsigned): only calls with their own validation may pass.
	Bare,
}

/// One fuzz input, being executed.
pub struct Fuzzer<'a> {
	chain: Chain,
	/// The state before the block being built (its parent's), to import the block on.
	before: InMemoryBackend,
	fixture: &'a Fixture,
	history: Vec<UncheckedExtrinsic>,
}

impl<'a> Fuzzer<'a> {
	/// Starts on `chain`, whose first block is being built on the state `before`, with the
	/// shared keys.
	pub fn new(chain: Chain, before: InMemoryBackend, fixture: &'a Fixture) -> Self {
		Fuzzer { chain, before, fixture, history: Vec::new() }
	}

	/// Runs the actions of `u` until it runs out or a bound is reached, then ends the last
	/// block; returns the counters. Between blocks, the block's changes are committed to the
	/// externalities' backend, as a node commits a block to its database (otherwise every
	/// storage root would be computed over all changes since genesis), and every block built
	/// is imported, as another validator would: executed on the state before it, which must
	/// give the same storage root (determinism; `Executive::execute_block` checks it).
	pub fn run(mut self, ext: &mut TestExternalities, u: &mut Unstructured) -> Stats {
		loop {
			let blocks = ext.execute_with(|| {
				let more = !u.is_empty()
					&& self.chain.number() <= MAX_BLOCKS
					&& self.chain.stats.extrinsics < MAX_EXTRINSICS;
				more.then(|| self.step(u).ok()).flatten()
			});
			let Some(blocks) = blocks else { break };
			for (lapse, author) in blocks {
				self.end_block(ext);
				ext.execute_with(|| self.chain.begin_block(lapse, author));
			}
		}
		self.end_block(ext);
		self.chain.stats
	}

	/// Ends the block, commits it, and imports it on the state before it.
	fn end_block(&mut self, ext: &mut TestExternalities) {
		let block = ext.execute_with(|| self.chain.end_block());
		ext.commit_all().expect("no storage transaction is open between blocks");
		let mut importer = TestExternalities::default();
		importer.backend = core::mem::replace(&mut self.before, ext.as_backend());
		importer.execute_with(|| depin_runtime::Executive::execute_block(block.into()));
	}

	/// Runs one action; returns the blocks it asks for (their slot lapses and authors).
	fn step(&mut self, u: &mut Unstructured) -> Result<Vec<(u64, u32)>> {
		match u.int_in_range(0u8..=20)? {
			0 | 1 => {
				// Some blocks, maybe empty ones, each after a slot or a few.
				return (0..u.int_in_range(1..=8)?)
					.map(|_| Ok((u.int_in_range(1..=3)?, u.arbitrary()?)))
					.collect();
			},
			2 => self.transfer(u)?,
			3 => self.register(u)?,
			4 => self.manage_device(u)?,
			5 => self.stake(u)?,
			6 | 7 => self.heartbeat(u)?,
			8 => self.heartbeats(u)?,
			9 => self.commit_storage(u)?,
			10 | 11 => self.storage_proof(u)?,
			12 => self.equivocation(u)?,
			13 => {
				let device = self.device_id(u)?;
				let who = u.choose_index(ACCOUNTS.len())?;
				let call = proofs(pallet_proofs::Call::report_unresponsive { device });
				self.submit(Via::Signed(who), call);
			},
			14 => {
				let device = self.device_id(u)?;
				let via = self.owner_or_other(u, device)?;
				let call = RuntimeCall::Rewards(pallet_rewards::Call::claim_rewards { device });
				self.submit(via, call);
			},
			15 | 16 => self.governance(u)?,
			17 => self.replay(u)?,
			18 => {
				// Anyone may apply a pending slash once its deferral is over.
				let pending: Vec<_> =
					pallet_device_staking::PendingSlashes::<Runtime>::iter_keys().collect();
				let slash_id = match pending.is_empty() || u.int_in_range(0..=4)? == 0 {
					true => u.int_in_range(0..=7)?,
					false => pending[u.choose_index(pending.len())?],
				};
				let call = pallet_device_staking::Call::apply_slash { slash_id };
				let who = u.choose_index(ACCOUNTS.len())?;
				self.submit(Via::Signed(who), RuntimeCall::DeviceStaking(call));
			},
			_ => self.raw(u)?,
		}
		Ok(Vec::new())
	}

	/// Signs and applies `call` as `via` says; keeps what was included for replays.
	fn submit(&mut self, via: Via, call: RuntimeCall) -> Outcome {
		let extrinsic = extrinsic(via, call);
		let outcome = self.chain.submit(extrinsic.clone());
		if outcome != Outcome::Invalid {
			if self.history.len() == HISTORY {
				self.history.remove(0);
			}
			self.history.push(extrinsic);
		}
		outcome
	}

	/// Applies a proof that was spoilt after the device signed it (or signed wrongly): the
	/// chain must refuse it before it is included.
	fn submit_forged(&mut self, call: RuntimeCall, how: &str) {
		let outcome = self.submit(Via::Authorized, call.clone());
		assert_eq!(outcome, Outcome::Invalid, "a forged proof ({how}) was included: {call:?}");
		self.chain.stats.forged_refused += 1;
	}

	/// Applies an extrinsic included earlier again (in a later block, epoch or session): it
	/// must be refused.
	fn replay(&mut self, u: &mut Unstructured) -> Result<()> {
		if self.history.is_empty() {
			return Ok(());
		}
		let extrinsic = self.history[u.choose_index(self.history.len())?].clone();
		let outcome = self.chain.submit(extrinsic.clone());
		assert_eq!(outcome, Outcome::Invalid, "a replayed extrinsic was included: {extrinsic:?}");
		self.chain.stats.replays_refused += 1;
		Ok(())
	}

	fn transfer(&mut self, u: &mut Unstructured) -> Result<()> {
		let from = u.choose_index(ACCOUNTS.len())?;
		let dest = MultiAddress::Id(account(u.choose_index(ACCOUNTS.len())?));
		let value = amount(u)?;
		let call = match u.int_in_range(0..=3)? {
			0 => pallet_balances::Call::transfer_allow_death { dest, value },
			1 => pallet_balances::Call::transfer_keep_alive { dest, value },
			2 => pallet_balances::Call::transfer_all { dest, keep_alive: u.arbitrary()? },
			_ => pallet_balances::Call::burn { value, keep_alive: u.arbitrary()? },
		};
		self.submit(Via::Signed(from), RuntimeCall::Balances(call));
		Ok(())
	}

	fn register(&mut self, u: &mut Unstructured) -> Result<()> {
		let owner = u.choose_index(ACCOUNTS.len())?;
		let device = &self.fixture.devices[u.choose_index(DEVICE_KEYS)?];
		// Proof of possession: the device signs its owner's account, or something else.
		let signed_for = match u.int_in_range(0..=5)? {
			0 => u.choose_index(ACCOUNTS.len())?,
			_ => owner,
		};
		let signer = match u.int_in_range(0..=5)? {
			0 => &self.fixture.devices[u.choose_index(DEVICE_KEYS)?],
			_ => device,
		};
		let proof_of_possession =
			signer.pair.sign(&Devices::registration_message(&account(signed_for)));
		let call = pallet_devices::Call::register_device {
			key: device.key,
			class: u.int_in_range(0..=4)?,
			location: location(u)?,
			metadata: bytes(u, 300)?,
			proof_of_possession,
		};
		self.submit(Via::Signed(owner), RuntimeCall::Devices(call));
		Ok(())
	}

	fn manage_device(&mut self, u: &mut Unstructured) -> Result<()> {
		let device = self.device_id(u)?;
		let via = self.owner_or_other(u, device)?;
		let call = match u.int_in_range(0..=2)? {
			0 => pallet_devices::Call::update_device {
				device,
				location: location(u)?,
				metadata: bytes(u, 300)?,
			},
			1 => pallet_devices::Call::transfer_device {
				device,
				new_owner: MultiAddress::Id(account(u.choose_index(ACCOUNTS.len())?)),
			},
			_ => pallet_devices::Call::deregister_device { device },
		};
		self.submit(via, RuntimeCall::Devices(call));
		Ok(())
	}

	fn stake(&mut self, u: &mut Unstructured) -> Result<()> {
		let device = self.device_id(u)?;
		let via = self.owner_or_other(u, device)?;
		let call = match u.int_in_range(0..=3)? {
			0 | 1 => pallet_device_staking::Call::bond { device, amount: amount(u)? },
			2 => pallet_device_staking::Call::unbond { device, amount: amount(u)? },
			_ => pallet_device_staking::Call::withdraw_unbonded { device },
		};
		self.submit(via, RuntimeCall::DeviceStaking(call));
		Ok(())
	}

	/// A device's heartbeat for the current epoch, as the chain asks for it, signed by the
	/// device; sometimes spoilt in one way, which the chain must catch.
	fn heartbeat(&mut self, u: &mut Unstructured) -> Result<()> {
		let index = device_index(u)?;
		let (heartbeat, signature, forged) = self.signed_heartbeat(u, index)?;
		let call = proofs(pallet_proofs::Call::submit_heartbeat { heartbeat, signature });
		match forged {
			Some(how) => self.submit_forged(call, how),
			None => {
				let via = match u.int_in_range(0..=9)? {
					0 => Via::Signed(u.choose_index(ACCOUNTS.len())?),
					1 => Via::Bare,
					_ => Via::Authorized,
				};
				self.submit(via, call);
			},
		}
		Ok(())
	}

	/// A gateway's batch of heartbeats; one spoilt item makes the whole batch forged.
	fn heartbeats(&mut self, u: &mut Unstructured) -> Result<()> {
		let len = u.int_in_range(1..=8)?;
		let mut batch = Vec::with_capacity(len);
		let mut forged = None;
		for _ in 0..len {
			let index = device_index(u)?;
			let (heartbeat, signature, spoilt) = self.signed_heartbeat(u, index)?;
			forged = forged.or(spoilt);
			batch.push((heartbeat, signature));
		}
		let batch = BoundedVec::truncate_from(batch);
		let call = proofs(pallet_proofs::Call::submit_heartbeats { batch });
		match forged {
			Some(how) => self.submit_forged(call, how),
			None => {
				self.submit(Via::Authorized, call);
			},
		}
		Ok(())
	}

	fn signed_heartbeat(
		&self,
		u: &mut Unstructured,
		index: usize,
	) -> Result<(Heartbeat, DeviceSignature, Option<&'static str>)> {
		let device = &self.fixture.devices[index];
		let (epoch, challenge, _) = challenge(device.id);
		let readings = (0..u.int_in_range(0..=3)?)
			.map(|_| Ok(Reading { metric: u.arbitrary()?, value: u.arbitrary()? }))
			.collect::<Result<Vec<_>>>()?;
		let mut heartbeat = Heartbeat {
			device: device.id,
			epoch,
			challenge,
			readings: BoundedVec::truncate_from(readings),
		};
		// An honest device signs the readings it fixed for the epoch, whatever is asked.
		let honest = |heartbeat: &mut Heartbeat| {
			if is_honest(index) {
				heartbeat.readings =
					BoundedVec::truncate_from(honest_readings(index, heartbeat.epoch));
			}
		};
		let genesis = Proofs::genesis_hash();
		let mut domain = SigningDomain::Heartbeat;
		let mut signer = device;
		let mut chain = genesis;
		let forged = match u.int_in_range(0u8..=15)? {
			0 => {
				heartbeat.epoch = epoch.wrapping_add(1);
				Some("a later epoch")
			},
			1 if epoch > 0 => {
				heartbeat.epoch = epoch - 1;
				Some("an earlier epoch")
			},
			2 => {
				heartbeat.challenge = H256(u.arbitrary()?);
				Some("a wrong challenge")
			},
			3 => {
				signer = &self.fixture.devices[(index + 1) % DEVICE_KEYS];
				Some("signed by another device")
			},
			4 => {
				chain = H256(u.arbitrary()?);
				Some("signed for another chain")
			},
			5 => {
				domain = SigningDomain::Storage;
				Some("signed as a storage proof")
			},
			_ => None,
		};
		honest(&mut heartbeat);
		let signature = signer.pair.sign(&signing_message(domain, chain.as_ref(), &heartbeat));
		if forged.is_none() && u.int_in_range(0u8..=15)? == 0 {
			// Changed after signing.
			heartbeat.readings = BoundedVec::truncate_from(vec![Reading { metric: 0, value: 1 }]);
			return Ok((heartbeat, signature, Some("readings changed after signing")));
		}
		Ok((heartbeat, signature, forged))
	}

	fn commit_storage(&mut self, u: &mut Unstructured) -> Result<()> {
		let index = storage_index(u)?;
		let device = &self.fixture.devices[index];
		let (root, leaf_count) = match u.int_in_range(0..=5)? {
			0 => (H256(u.arbitrary()?), u.arbitrary()?),
			1 => (device.dataset.root(), 0),
			_ => (device.dataset.root(), device.dataset.leaf_count()),
		};
		let via = self.owner_or_other(u, device.id)?;
		let call = pallet_proofs::Call::commit_storage { device: device.id, root, leaf_count };
		self.submit(via, proofs(call));
		Ok(())
	}

	/// A storage box's answer to its challenge from its data set, signed; sometimes spoilt.
	fn storage_proof(&mut self, u: &mut Unstructured) -> Result<()> {
		let index = storage_index(u)?;
		let (mut proof, forged) = self.answer(u, index)?;
		let device = &self.fixture.devices[index];
		let genesis = Proofs::genesis_hash();
		let signature =
			device.pair.sign(&signing_message(SigningDomain::Storage, genesis.as_ref(), &proof));
		let forged = match (forged, u.int_in_range(0u8..=11)?) {
			(Some(how), _) => Some(how),
			(None, 0) if !proof.leaves.is_empty() => {
				proof.leaves[0].chunk[0] ^= 1;
				Some("a chunk changed after signing")
			},
			_ => None,
		};
		let call = proofs(pallet_proofs::Call::submit_storage_proof { proof, signature });
		match forged {
			Some(how) => self.submit_forged(call, how),
			None => {
				self.submit(Via::Authorized, call);
			},
		}
		Ok(())
	}

	/// The storage proof device `index` owes now, from its data set, maybe spoilt before
	/// signing.
	fn answer(
		&self,
		u: &mut Unstructured,
		index: usize,
	) -> Result<(StorageProof, Option<&'static str>)> {
		let device = &self.fixture.devices[index];
		let (epoch, challenge, indices) = challenge(device.id);
		let indices = indices.unwrap_or_else(|| vec![0]);
		// An honest device never signs an answer that is not its data's: its proofs are only
		// ever spoilt after signing.
		let spoil = if is_honest(index) { u8::MAX } else { u.int_in_range(0u8..=11)? };
		let mut leaves: Vec<LeafProof> = indices
			.iter()
			.map(|index| {
				device
					.dataset
					.prove(index % DATASET_CHUNKS)
					.expect("every index below the chunk count has a proof")
			})
			.collect();
		let forged = match spoil {
			0 if !leaves.is_empty() => {
				leaves.pop();
				Some("a challenged chunk left out")
			},
			1 if leaves.first().is_some_and(|leaf| !leaf.path.is_empty()) => {
				leaves[0].path[0] = H256(u.arbitrary()?);
				Some("a wrong Merkle path")
			},
			2 => {
				for leaf in &mut leaves {
					leaf.index = leaf.index.wrapping_add(1);
				}
				Some("other chunks than challenged")
			},
			_ => None,
		};
		let proof = StorageProof {
			device: device.id,
			epoch,
			challenge,
			leaves: BoundedVec::truncate_from(leaves),
		};
		Ok((proof, forged))
	}

	/// An equivocation report by anyone: against a dishonest device, two different heartbeats
	/// it signed for one epoch (sometimes the same twice, or one signed by another key);
	/// against an honest device, two payloads it would sign when asked (invented challenges,
	/// future and past epochs, the real challenge), which must never convict it.
	fn equivocation(&mut self, u: &mut Unstructured) -> Result<()> {
		let index = device_index(u)?;
		if is_honest(index) {
			return self.frame_honest_device(u, index);
		}
		let device = &self.fixture.devices[index];
		let genesis = Proofs::genesis_hash();
		let (epoch, challenge, _) = challenge(device.id);
		let epoch = epoch.saturating_sub(u.int_in_range(0..=1)?);
		let payload = |value: i64| {
			SignedPayload::Heartbeat(Heartbeat {
				device: device.id,
				epoch,
				challenge,
				readings: BoundedVec::truncate_from(vec![Reading { metric: 1, value }]),
			})
		};
		let first = payload(1);
		let second = if u.int_in_range(0..=4)? == 0 { payload(1) } else { payload(2) };
		let first_signature = device.pair.sign(&first.signing_message(genesis.as_ref()));
		let signer = match u.int_in_range(0..=4)? {
			0 => &self.fixture.devices[(index + 1) % DEVICE_KEYS],
			_ => device,
		};
		let second_signature = signer.pair.sign(&second.signing_message(genesis.as_ref()));
		let call = pallet_proofs::Call::report_equivocation {
			device: device.id,
			first,
			first_signature,
			second,
			second_signature,
		};
		let who = u.choose_index(ACCOUNTS.len())?;
		self.submit(Via::Signed(who), proofs(call));
		Ok(())
	}

	/// Reports honest device `index` with two payloads it signed on request: whatever the
	/// epochs and challenges, the report must fail (the attack of issue 19: invented
	/// challenges, future epochs, one real and one invented challenge).
	fn frame_honest_device(&mut self, u: &mut Unstructured, index: usize) -> Result<()> {
		let device = &self.fixture.devices[index];
		let genesis = Proofs::genesis_hash();
		let (current, real, indices) = challenge(device.id);
		let mut asked = || -> Result<SignedPayload> {
			let epoch = match u.int_in_range(0u8..=5)? {
				0 => current.saturating_add(1),
				1 => current.saturating_add(u.int_in_range(2..=50)?),
				2 => current.saturating_sub(1),
				3 => u.arbitrary()?,
				_ => current,
			};
			let challenge = match u.int_in_range(0u8..=2)? {
				0 => H256(u.arbitrary()?),
				_ => real,
			};
			Ok(match (&indices, u.arbitrary::<bool>()?) {
				(Some(indices), true) => {
					let leaves: Vec<LeafProof> = indices
						.iter()
						.map(|i| device.dataset.prove(i % DATASET_CHUNKS).expect("a chunk"))
						.collect();
					SignedPayload::Storage(StorageProof {
						device: device.id,
						epoch,
						challenge,
						leaves: BoundedVec::truncate_from(leaves),
					})
				},
				_ => SignedPayload::Heartbeat(Heartbeat {
					device: device.id,
					epoch,
					challenge,
					readings: BoundedVec::truncate_from(honest_readings(index, epoch)),
				}),
			})
		};
		let (first, second) = (asked()?, asked()?);
		let first_signature = device.pair.sign(&first.signing_message(genesis.as_ref()));
		let second_signature = device.pair.sign(&second.signing_message(genesis.as_ref()));
		let call = proofs(pallet_proofs::Call::report_equivocation {
			device: device.id,
			first,
			first_signature,
			second,
			second_signature,
		});
		let who = u.choose_index(ACCOUNTS.len())?;
		let outcome = self.submit(Via::Signed(who), call.clone());
		assert_ne!(outcome, Outcome::Succeeded, "an honest device was convicted: {call:?}");
		self.chain.stats.framings_refused += 1;
		Ok(())
	}

	/// Governance: mostly a referendum on the call's track, sometimes on root or on another
	/// track (enacted, refused for its origin), sometimes someone trying the call signed.
	fn governance(&mut self, u: &mut Unstructured) -> Result<()> {
		let call = match u.int_in_range(0..=6)? {
			0 => RuntimeCall::Rewards(pallet_rewards::Call::set_emission {
				params: pallet_rewards::EmissionParams {
					epoch_emission: amount(u)?,
					yearly_decay: Perbill::from_parts(u.arbitrary()?),
					epochs_per_year: u.int_in_range(0..=100)?,
					cap: amount(u)?.saturating_mul(1_000_000),
					device_share: Perbill::from_parts(u.arbitrary()?),
					validator_share: Perbill::from_parts(u.arbitrary()?),
				},
			}),
			1 => RuntimeCall::Devices(pallet_devices::Call::set_class {
				class: u.int_in_range(0..=5)?,
				params: pallet_devices::ClassInfo {
					name: bytes(u, 40)?,
					min_stake: amount(u)?,
					reward_weight: u.arbitrary()?,
					owes: pallet_devices::OwedProofs {
						heartbeat: u.arbitrary()?,
						storage: u.arbitrary()?,
					},
					open: u.arbitrary()?,
					min_data_chunks: u.int_in_range(0..=40)?,
					telemetry: BoundedVec::truncate_from(
						(0..u.int_in_range(0..=3)?)
							.map(|_| {
								Ok(depin_primitives::MetricRange {
									metric: u.int_in_range(0..=4)?,
									min: u.arbitrary()?,
									max: u.arbitrary()?,
								})
							})
							.collect::<Result<Vec<_>>>()?,
					),
					telemetry_weight: u.int_in_range(0..=10)?,
					attestation: Default::default(),
					usage: None,
					since: u.arbitrary()?,
				},
			}),
			2 => RuntimeCall::Devices(pallet_devices::Call::suspend_device {
				device: self.device_id(u)?,
				reason: *u.choose(&[
					SuspensionReason::Governance,
					SuspensionReason::Unresponsive,
					SuspensionReason::Misbehaviour,
				])?,
			}),
			3 => RuntimeCall::Devices(pallet_devices::Call::resume_device {
				device: self.device_id(u)?,
			}),
			4 => RuntimeCall::DeviceStaking(pallet_device_staking::Call::force_slash {
				device: self.device_id(u)?,
				fraction: Perbill::from_parts(u.arbitrary()?),
				reason: *u.choose(&[
					OffenceKind::Equivocation,
					OffenceKind::InvalidProof,
					OffenceKind::Unresponsive,
					OffenceKind::Governance,
				])?,
			}),
			5 => RuntimeCall::DeviceStaking(pallet_device_staking::Call::cancel_slash {
				slash_id: u.int_in_range(0..=7)?,
			}),
			_ => {
				let validator = account(u.choose_index(ACCOUNTS.len())?);
				RuntimeCall::Validators(if u.arbitrary()? {
					pallet_validators::Call::add_validator { validator }
				} else {
					pallet_validators::Call::remove_validator { validator }
				})
			},
		};
		let origin = match u.int_in_range(0..=7)? {
			0 => {
				self.submit(Via::Signed(u.choose_index(ACCOUNTS.len())?), call);
				return Ok(());
			},
			1 => OriginCaller::system(frame_system::RawOrigin::Root),
			2 => OriginCaller::Origins(u.choose(&TRACK_ORIGINS)?.clone()),
			_ => track_of(&call),
		};
		self.referendum(u, origin, call)
	}

	/// A referendum to dispatch `call` as `origin`: Alice (who holds most of the stake) notes
	/// its preimage if it is too long to inline, submits it, places the decision deposit and
	/// votes aye; the referendum passes within a few blocks and the scheduler enacts it in a
	/// block's `on_initialize`, as on a dev network (tracks' periods divided by
	/// `DEV_PERIOD_DIVISOR`). Sometimes nobody votes and it times out.
	fn referendum(
		&mut self,
		u: &mut Unstructured,
		origin: OriginCaller,
		call: RuntimeCall,
	) -> Result<()> {
		use frame_support::traits::{schedule::DispatchTime, Bounded};
		let encoded = call.encode();
		let proposal = match BoundedVec::try_from(encoded.clone()) {
			Ok(inline) => Bounded::Inline(inline),
			Err(_) => {
				let note = pallet_preimage::Call::note_preimage { bytes: encoded.clone() };
				if self.submit(Via::Signed(0), RuntimeCall::Preimage(note)) != Outcome::Succeeded {
					return Ok(());
				}
				let hash = sp_io::hashing::blake2_256(&encoded).into();
				Bounded::Lookup { hash, len: encoded.len() as u32 }
			},
		};
		let index = pallet_referenda::ReferendumCount::<Runtime>::get();
		let submit = pallet_referenda::Call::submit {
			proposal_origin: Box::new(origin),
			proposal,
			enactment_moment: DispatchTime::After(u.int_in_range(0..=2)?),
		};
		if self.submit(Via::Signed(0), RuntimeCall::Referenda(submit)) != Outcome::Succeeded {
			return Ok(());
		}
		let deposit = pallet_referenda::Call::place_decision_deposit { index };
		self.submit(Via::Signed(0), RuntimeCall::Referenda(deposit));
		if u.int_in_range(0..=9)? != 0 {
			use pallet_conviction_voting::{AccountVote, Conviction, Vote};
			let vote = pallet_conviction_voting::Call::vote {
				poll_index: index,
				vote: AccountVote::Standard {
					vote: Vote { aye: true, conviction: Conviction::Locked1x },
					balance: crate::genesis::ALICE_VOTE,
				},
			};
			self.submit(Via::Signed(0), RuntimeCall::ConvictionVoting(vote));
		}
		Ok(())
	}

	/// Any call of the runtime, decoded from the input, from any origin; calls that rewrite
	/// state or issuance by decree are left out (see [`by_decree`]).
	fn raw(&mut self, u: &mut Unstructured) -> Result<()> {
		let len = u.int_in_range(0..=200)?;
		let bytes = u.bytes(len)?;
		let Ok(call) = RuntimeCall::decode_with_depth_limit(8, &mut &bytes[..]) else {
			return Ok(());
		};
		if by_decree(&call) {
			return Ok(());
		}
		let via = match u.int_in_range(0..=3)? {
			0 => {
				return self.referendum(
					u,
					OriginCaller::system(frame_system::RawOrigin::Root),
					call,
				)
			},
			1 => Via::Authorized,
			2 => Via::Bare,
			_ => Via::Signed(u.choose_index(ACCOUNTS.len())?),
		};
		self.submit(via, call);
		Ok(())
	}

	/// A device id: mostly one of the fuzzer's keys, sometimes one nobody holds.
	fn device_id(&self, u: &mut Unstructured) -> Result<DeviceId> {
		Ok(if u.int_in_range(0..=9)? == 0 {
			H256(u.arbitrary()?)
		} else {
			self.fixture.devices[device_index(u)?].id
		})
	}

	/// Signed by the device's owner mostly, by anyone sometimes.
	fn owner_or_other(&self, u: &mut Unstructured, device: DeviceId) -> Result<Via> {
		let owner = pallet_devices::Devices::<Runtime>::get(device)
			.and_then(|info| (0..ACCOUNTS.len()).find(|&i| account(i) == info.owner));
		Ok(match owner {
			Some(owner) if u.int_in_range(0..=4)? != 0 => Via::Signed(owner),
			_ => Via::Signed(u.choose_index(ACCOUNTS.len())?),
		})
	}
}

/// Calls the fuzzer leaves out: those that change storage, code or issuance by decree
/// (`System`'s root calls, setting balances or issuance by force), or are inherents (the
/// timestamp, which a block carries once), and calls that carry one of them to dispatch
/// (scheduled, whitelisted or proposed to the committee). Governance using them is trusted by
/// definition; every other call is fair game.
fn by_decree(call: &RuntimeCall) -> bool {
	use pallet_balances::Call as B;
	use pallet_collective::Call as C;
	use pallet_scheduler::Call as S;
	match call {
		RuntimeCall::System(frame_system::Call::remark { .. })
		| RuntimeCall::System(frame_system::Call::remark_with_event { .. }) => false,
		RuntimeCall::System(_) | RuntimeCall::Timestamp(_) => true,
		RuntimeCall::Balances(B::force_set_balance { .. })
		| RuntimeCall::Balances(B::force_adjust_total_issuance { .. }) => true,
		RuntimeCall::Scheduler(
			S::schedule { call, .. }
			| S::schedule_named { call, .. }
			| S::schedule_after { call, .. }
			| S::schedule_named_after { call, .. },
		)
		| RuntimeCall::Whitelist(
			pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage { call },
		) => by_decree(call),
		RuntimeCall::TechnicalCommittee(
			C::execute { proposal, .. } | C::propose { proposal, .. },
		) => by_decree(proposal),
		_ => false,
	}
}

/// The tracks' origins other than root.
const TRACK_ORIGINS: [Origin; 7] = [
	Origin::WhitelistedCaller,
	Origin::DeviceAdmin,
	Origin::SlashAdmin,
	Origin::ValidatorAdmin,
	Origin::EmissionAdmin,
	Origin::Treasurer,
	Origin::ReferendumCanceller,
];

/// The origin of the track that decides `call` (root for calls no other track may make).
fn track_of(call: &RuntimeCall) -> OriginCaller {
	OriginCaller::Origins(match call {
		RuntimeCall::Devices(pallet_devices::Call::set_class { .. }) | RuntimeCall::Makers(_) => {
			Origin::DeviceAdmin
		},
		RuntimeCall::Devices(_) | RuntimeCall::DeviceStaking(_) => Origin::SlashAdmin,
		RuntimeCall::Validators(_) => Origin::ValidatorAdmin,
		RuntimeCall::Rewards(_) => Origin::EmissionAdmin,
		RuntimeCall::Treasury(_) => Origin::Treasurer,
		_ => return OriginCaller::system(frame_system::RawOrigin::Root),
	})
}

/// The extrinsic carrying `call` as `via` says.
fn extrinsic(via: Via, call: RuntimeCall) -> UncheckedExtrinsic {
	use frame_system::offchain::CreateAuthorizedTransaction;
	let signed = |who: usize, call: RuntimeCall| {
		let keyring = ACCOUNTS[who % ACCOUNTS.len()];
		let who = keyring.to_account_id();
		// The authorized extension with the account's nonce: the same extensions a wallet sets.
		let mut extension =
			<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
		extension.6 =
			frame_system::CheckNonce::from(frame_system::Pallet::<Runtime>::account_nonce(&who));
		let payload = depin_runtime::SignedPayload::new(call.clone(), extension.clone())
			.expect("the extensions' implicit data is available");
		let signature = payload.using_encoded(|bytes| keyring.pair().sign(bytes));
		UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(who),
			MultiSignature::Sr25519(signature),
			extension,
		)
	};
	match via {
		Via::Signed(who) => signed(who, call),
		Via::Authorized => {
			<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(
				call,
			)
		},
		Via::Bare => UncheckedExtrinsic::new_bare(call),
	}
}

fn proofs(call: pallet_proofs::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Proofs(call)
}

/// The current epoch, `device`'s challenge in it and the chunks its storage proof must answer
/// (if it committed to a data set), as the chain reports them to gateways (a zero challenge for
/// a device the chain does not know).
fn challenge(device: DeviceId) -> (u32, H256, Option<Vec<u64>>) {
	match depin_runtime::depin_api::challenge(device) {
		Some(info) => (info.epoch, info.challenge, info.storage_indices),
		None => (pallet_proofs::CurrentEpoch::<Runtime>::get(), H256::zero(), None),
	}
}

/// The index of one of the fuzzer's device keys: mostly a device registered at genesis.
fn device_index(u: &mut Unstructured) -> Result<usize> {
	Ok(if u.int_in_range(0..=3)? == 0 {
		u.choose_index(DEVICE_KEYS)?
	} else {
		u.choose_index(GENESIS_DEVICES)?
	})
}

/// The index of a device key that is mostly a storage box's (from genesis).
fn storage_index(u: &mut Unstructured) -> Result<usize> {
	Ok(if u.int_in_range(0..=3)? == 0 {
		u.choose_index(DEVICE_KEYS)?
	} else {
		*u.choose(&STORAGE_DEVICES)?
	})
}

/// An amount: round sums around the class minimums and balances, or anything.
fn amount(u: &mut Unstructured) -> Result<Balance> {
	Ok(match u.int_in_range(0..=7)? {
		0 => 0,
		1 => 10 * DPN,
		2 => 100 * DPN,
		3 => 500 * DPN,
		4 => u.int_in_range(0..=2_000_000)? * DPN,
		5 => Balance::MAX,
		_ => u.arbitrary::<u64>()?.into(),
	})
}

/// A location: none, a valid H3 cell, or any number.
fn location(u: &mut Unstructured) -> Result<Option<u64>> {
	Ok(match u.int_in_range(0..=3)? {
		0 => None,
		1 => Some(0x0892_8308_280f_ffff),
		2 => Some(0x0852_8347_3fff_ffff),
		_ => Some(u.arbitrary()?),
	})
}

/// Up to `max` bytes (more than some bounds allow: the rest is cut, as a bounded vector is).
fn bytes<S: frame_support::traits::Get<u32>>(
	u: &mut Unstructured,
	max: usize,
) -> Result<BoundedVec<u8, S>> {
	let len = u.int_in_range(0..=max)?;
	Ok(BoundedVec::truncate_from(u.bytes(len)?.to_vec()))
}
