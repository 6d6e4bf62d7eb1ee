/**
 * Key management in a crypto user's session: generate (symmetric or pair), destroy, tombstone,
 * share, wrap, unwrap, NIST AES wrap. A key made on one HSM (generated or unwrapped) is synchronised:
 * CN_EXTRACT_MASKED_OBJECT_USER on that HSM, then CN_INSERT_MASKED_OBJECT_USER on each other
 * active HSM, tens of milliseconds apart (reference section 3).
 */
import type { Rng } from './random';
import type { HsmState, Recorder } from './recorder';
import { LOG_TYPE, OP } from './vocabulary';

export class KeyCommands {
  private readonly keys: number[] = [];
  private nextHandle: number;

  constructor(
    private readonly rng: Rng,
    private readonly recorder: Recorder,
  ) {
    this.nextHandle = rng.int(0x40000, 0x40400);
  }

  private newKey(): number {
    this.nextHandle += this.rng.int(1, 4);
    this.keys.push(this.nextHandle);
    return this.nextHandle;
  }

  private sync(runner: HsmState, others: readonly HsmState[], handle: number): void {
    const r = this.recorder;
    r.advance(1, 5);
    r.mgmt(
      runner,
      OP.EXTRACT_MASKED_OBJECT_USER,
      LOG_TYPE.KEY_DETAILS,
      r.keyDetails(runner, handle, 0),
    );
    for (const other of others) {
      r.advance(15, 90);
      r.mgmt(
        other,
        OP.INSERT_MASKED_OBJECT_USER,
        LOG_TYPE.KEY_DETAILS,
        r.keyDetails(other, handle, 0),
      );
    }
  }

  /** One key command on `hsm`; `others` are the cluster's other active HSMs. */
  run(hsm: HsmState, others: readonly HsmState[]): void {
    const r = this.recorder;
    const kind =
      this.keys.length === 0
        ? 'generateKey'
        : this.rng.weighted([
            ['generateKey', 28],
            ['generateKeyPair', 14],
            ['destroy', 9],
            ['tombstone', 7],
            ['share', 8],
            ['wrap', 10],
            ['unwrap', 8],
            ['nistWrap', 16],
          ] as const);
    if (kind === 'generateKey' || kind === 'unwrap') {
      const handle = this.newKey();
      const opcode = kind === 'unwrap' ? OP.UNWRAP_KEY : OP.GENERATE_KEY;
      r.mgmt(hsm, opcode, LOG_TYPE.KEY_DETAILS, r.keyDetails(hsm, handle, 0));
      this.sync(hsm, others, handle);
    } else if (kind === 'generateKeyPair') {
      const pub = this.newKey();
      const priv = this.newKey();
      r.mgmt(hsm, OP.GENERATE_KEY_PAIR, LOG_TYPE.KEY_DETAILS, r.keyDetails(hsm, priv, pub));
      this.sync(hsm, others, priv);
      this.sync(hsm, others, pub);
    } else if (kind === 'destroy' || kind === 'tombstone') {
      const [handle] = this.keys.splice(this.rng.int(0, this.keys.length - 1), 1) as [number];
      const opcode = kind === 'destroy' ? OP.DESTROY_OBJECT : OP.TOMBSTONE_OBJECT;
      r.mgmt(hsm, opcode, LOG_TYPE.KEY_DETAILS, r.keyDetails(hsm, handle, 0));
    } else {
      const opcode =
        kind === 'share' ? OP.SHARE_OBJECT : kind === 'wrap' ? OP.WRAP_KEY : OP.NIST_AES_WRAP;
      r.mgmt(hsm, opcode, LOG_TYPE.KEY_DETAILS, r.keyDetails(hsm, this.rng.pick(this.keys), 0));
    }
  }
}
