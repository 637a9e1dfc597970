// The device owner's journey with @polkadot/api (a client we did not write), against a
// running dev node with a simulated device attached:
//
//   register the device with the proof of possession it signs, bond, read depin_device,
//   wait for its proofs, read depin_pendingRewards (and the DepinApi runtime API through
//   state_call, from metadata), claim, and see the owner's balance rise by the claim.
//
// Environment: DEPIN_WS (the node), DEPIN_DEVICE (the device's HTTP endpoint). Prints one
// line per step; exits non-zero on the first failure. Run by
// zombienet/harness/tests/attached_devices.rs, or by hand: `npx tsx journey.ts`.

import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import type { SubmittableExtrinsic } from "@polkadot/api/types";
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";

const DPN = 1_000_000_000_000n;
const ws = process.env.DEPIN_WS ?? "ws://127.0.0.1:9944";
const endpoint = process.env.DEPIN_DEVICE ?? "http://127.0.0.1:8700/0";

function step(what: string, detail: unknown = ""): void {
  console.log(`[ts-client] ${what}`, typeof detail === "string" ? detail : JSON.stringify(detail));
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

const schemeVariant: Record<string, string> = {
  ed25519: "Ed25519",
  sr25519: "Sr25519",
  ecdsa: "Ecdsa",
  p256: "P256",
};

/** Signs and sends `tx`, resolves with its events once finalized; rejects on a dispatch error. */
function finalized(api: ApiPromise, tx: SubmittableExtrinsic<"promise">, signer: KeyringPair) {
  return new Promise<{ section: string; method: string; data: any }[]>((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const reason = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${reason}`));
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${status.type}`));
      } else if (status.isFinalized) {
        resolve(events.map(({ event }) => ({ section: event.section, method: event.method, data: event.data })));
      }
    }).catch(reject);
  });
}

/** JSON-RPC call of one of the node's `depin_*` methods (not in polkadot.js's built-in
 * definitions, so sent through the provider as raw JSON-RPC). */
async function depin(provider: WsProvider, method: string, ...params: unknown[]): Promise<any> {
  const answer = await provider.send(method, params);
  step(method, answer);
  return answer;
}

async function pollUntil<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function main(): Promise<void> {
  await cryptoWaitReady();
  const provider = new WsProvider(ws);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  const served = (await api.rpc.rpc.methods()).methods.map((m) => m.toString());
  for (const method of ["depin_device", "depin_devicesByOwner", "depin_pendingRewards", "depin_classes"]) {
    check(served.includes(method), `${method} is served`);
  }
  const owner = new Keyring({ type: "sr25519" }).addFromUri("//Dave");
  const genesis = api.genesisHash.toHex();
  step("connected", { chain: (await api.rpc.system.chain()).toString(), genesis });

  // The device says what it is, and signs for Dave.
  const identity = await (await fetch(`${endpoint}/v1/identity`)).json();
  step("identity", identity);
  const possession = await fetch(`${endpoint}/v1/proof-of-possession`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ genesis_hash: genesis, owner: u8aToHex(owner.publicKey) }),
  });
  check(possession.ok, `proof of possession: HTTP ${possession.status}`);
  const { signature } = await possession.json();
  const variant = schemeVariant[identity.scheme];
  check(variant !== undefined, `known scheme ${identity.scheme}`);

  // Register and bond.
  const registered = await finalized(
    api,
    api.tx.devices.registerDevice({ [variant]: identity.key }, identity.class, null, "0x", {
      [variant]: signature,
    }),
    owner,
  );
  const event = registered.find((e) => e.section === "devices" && e.method === "DeviceRegistered");
  check(event !== undefined, "Devices.DeviceRegistered");
  const device: string = event!.data[0].toHex();
  step("registered", device);
  const classes = await depin(provider, "depin_classes");
  const minStake = BigInt(classes.find((c: any) => c.id === identity.class).minStake);
  await finalized(api, api.tx.deviceStaking.bond(device, minStake), owner);
  step("bonded", `${minStake / DPN} DPN`);

  const view = await depin(provider, "depin_device", device);
  check(view.owner === owner.address, "depin_device: owner");
  check(view.status === "active" && BigInt(view.bonded) === minStake, "depin_device: active, bonded");
  const owned: string[] = await depin(provider, "depin_devicesByOwner", owner.address);
  check(owned.includes(device), "depin_devicesByOwner lists it");

  // The node's off-chain worker relays the device's heartbeat; once its epoch closes, the
  // reward is pending.
  const proven = await pollUntil("a heartbeat", 180, async () => {
    const v = await depin(provider, "depin_device", device);
    return v.lastHeartbeat ?? undefined;
  });
  step("heartbeat accepted for epoch", String(proven));
  // Once its epoch has closed (and been finalized), the reward is pending; the runtime API,
  // called through polkadot.js's metadata-derived `api.call`, agrees at the same block.
  const { head, pending } = await pollUntil("pending rewards", 180, async () => {
    const head = (await api.rpc.chain.getFinalizedHead()).toHex();
    const p = await depin(provider, "depin_pendingRewards", device, head);
    return BigInt(p.amount) > 0n ? { head, pending: p } : undefined;
  });
  const viaApi: any = (await (await api.at(head)).call.depinApi.pendingRewards(device)).toJSON();
  step("DepinApi_pending_rewards", viaApi);
  check(BigInt(viaApi.amount) === BigInt(pending.amount), "runtime API and RPC agree");
  check(viaApi.epochs === pending.epochs, "runtime API and RPC agree on epochs");

  // Claim: Dave's free balance rises by exactly the claimed amount (the fee is paid from it
  // too, so claim from Eve, for Dave's device).
  const claimer = new Keyring({ type: "sr25519" }).addFromUri("//Eve");
  const freeOf = async (): Promise<bigint> =>
    ((await api.query.system.account(owner.address)) as any).data.free.toBigInt();
  const before = await freeOf();
  const claimed = await finalized(api, api.tx.rewards.claimRewards(device), claimer);
  const paid = claimed.find((e) => e.section === "rewards" && e.method === "RewardsClaimed");
  check(paid !== undefined, "Rewards.RewardsClaimed");
  const amount: bigint = paid!.data[2].toBigInt();
  const after = await freeOf();
  step("claimed", { amount: amount.toString(), pendingBefore: pending.amount, balanceDelta: (after - before).toString() });
  check(amount >= BigInt(pending.amount), "the claim pays at least what was pending");
  check(after - before === amount, "the owner's balance rose by the claimed amount");
  await api.disconnect();
  step("journey complete");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[ts-client] FAILED: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
