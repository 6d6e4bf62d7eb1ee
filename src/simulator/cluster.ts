/**
 * One simulated CloudHSM cluster, as its HSMs would log it (reference section 3): the first HSM
 * logs initialization and activation; the other HSMs join afterwards and their streams start with
 * a login; every login (successful or not) is recorded by every HSM with its own sequence number
 * and session handle, tens of milliseconds apart; key commands (keys.ts) run on one HSM and are
 * synchronised to the others; user management (users.ts), logouts, time-sync records and unknown opcodes
 * appear on the HSM that ran them. Records themselves are made by recorder.ts.
 */
import { formatHsmTime, type Coded, type SeparatorStyle, SEPARATOR_STYLES } from './format';
import { KeyCommands } from './keys';
import { UserCommands } from './users';
import type { Rng } from './random';
import { Recorder, type HsmState, type Response, type User } from './recorder';
import {
  COMMAND,
  FIRMWARE_VERSIONS,
  LOG_TYPE,
  OP,
  RESPONSE,
  UNKNOWN_OPCODES,
  UNKNOWN_USER_NAMES,
  USER_TYPE,
} from './vocabulary';

export { draftText, type DraftRecord, type HsmState } from './recorder';

export interface ClusterOptions {
  /** HSMs at the start. */
  hsms: number;
  /** Text audit records to produce (exactly). */
  records: number;
  /** Epoch microseconds of the first record. */
  startUsecs: number;
  /** Mean pause between two activities (a session, a failed login …), in ms. */
  meanIntervalMs: number;
  /** Replace one HSM when this many records were produced (new stream starting with a login). */
  replaceAfter?: number;
  /** Reboot one HSM when this many records were produced (its reboot counter goes up by one). */
  rebootAfter?: number;
  /** Force one separator style on every stream; default: chosen per stream. */
  separator?: SeparatorStyle;
  /** Force verbose lines on (true) or off (false) for every stream; default: chosen per stream. */
  extraLines?: boolean;
  hsm2m: boolean;
}

export class ClusterModel {
  readonly clusterId: string;
  readonly hsms: HsmState[] = [];
  private readonly recorder: Recorder;
  private readonly keys: KeyCommands;
  private readonly users: UserCommands;

  constructor(
    private readonly rng: Rng,
    private readonly options: ClusterOptions,
  ) {
    this.clusterId = `cluster-${rng.base32(11)}`;
    this.recorder = new Recorder(rng, options.startUsecs, options.records);
    this.keys = new KeyCommands(rng, this.recorder);
    this.users = new UserCommands(rng, this.recorder);
  }

  get records() {
    return this.recorder.records;
  }

  run(): this {
    const first = this.addHsm({ initializer: true, status: 'active' });
    this.initialize(first);
    for (let i = 1; i < this.options.hsms; i += 1) this.addHsm({});
    this.recorder.pause(this.options.meanIntervalMs);
    this.coSession(this.users.get('admin') as User, 2);
    let replaced = false;
    let rebooted = false;
    while (!this.recorder.done) {
      const { replaceAfter, rebootAfter } = this.options;
      if (!replaced && replaceAfter !== undefined && this.records.length >= replaceAfter) {
        this.replaceHsm();
        replaced = true;
      }
      if (!rebooted && rebootAfter !== undefined && this.records.length >= rebootAfter) {
        this.rebootHsm();
        rebooted = true;
      }
      this.recorder.pause(this.options.meanIntervalMs);
      this.activity();
    }
    return this;
  }

  private addHsm(extra: Partial<HsmState>): HsmState {
    const hsm: HsmState = {
      hsmId: `hsm-${this.rng.base32(11)}`,
      seq: 0,
      rebootCounter: this.rng.int(0x1, 0x1ff),
      separator: this.options.separator ?? this.rng.pick(SEPARATOR_STYLES),
      extraLines: this.options.extraLines ?? this.rng.chance(0.3),
      versionNo: this.rng.pick(FIRMWARE_VERSIONS),
      sessionPrefix: this.rng.int(0x1, 0xf),
      sessionCounter: this.rng.int(0, 8),
      status: 'pending',
      initializer: false,
      addedMidRun: false,
      session: 0,
      ...extra,
    };
    this.hsms.push(hsm);
    return hsm;
  }

  /** The replaced HSM stops logging; its successor logs from the next login on. */
  private replaceHsm(): void {
    const candidates = this.active().filter((hsm) => !hsm.initializer);
    const victim = candidates.length > 0 ? this.rng.pick(candidates) : this.active()[0];
    if (!victim) return;
    victim.status = 'retired';
    this.addHsm({ addedMidRun: true, replaces: victim.hsmId });
  }

  /**
   * A hardware reboot: the HSM's reboot counter goes up by one and its sessions end. Its stream and
   * sequence numbers continue (inferred: AWS does not say whether a reboot restarts them).
   */
  private rebootHsm(): void {
    const hsm = this.rng.pick(this.active());
    const from = hsm.rebootCounter;
    hsm.rebootCounter = (from + 1) >>> 0;
    hsm.reboot = { seq: hsm.seq, from, to: hsm.rebootCounter };
    this.recorder.advance(60_000, 300_000); // a reboot takes minutes
  }

  private active(): HsmState[] {
    return this.hsms.filter((hsm) => hsm.status === 'active');
  }

  /** CN_INIT_TOKEN (seq 0) → CN_GEN_PSWD_ENC_KEY → CN_CREATE_APPLIANCE_USER → CN_INIT_DONE, then activation. */
  private initialize(hsm: HsmState): void {
    const r = this.recorder;
    r.newSession(hsm);
    r.mgmt(hsm, OP.INIT_TOKEN, LOG_TYPE.MINIMAL, []);
    r.advance(100, 250);
    r.mgmt(hsm, OP.GEN_PSWD_ENC_KEY, LOG_TYPE.MINIMAL, []);
    r.advance(20, 60);
    const appUser: User = { name: 'app_user', type: USER_TYPE.AU };
    this.users.set(appUser);
    r.mgmt(hsm, OP.CREATE_APPLIANCE_USER, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, appUser, true));
    r.advance(80, 200);
    r.mgmt(hsm, OP.INIT_DONE, LOG_TYPE.MINIMAL, []);
    // Activation, minutes later: the precrypto officer logs in and sets its password.
    r.advance(60_000, 600_000);
    const preco: User = { name: 'admin', type: USER_TYPE.PRECO };
    r.newSession(hsm);
    r.mgmt(hsm, OP.LOGIN, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, preco, false));
    r.advance(2_000, 20_000);
    r.mgmt(hsm, OP.CHANGE_PSWD, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, preco, true));
    r.advance(500, 5_000);
    r.mgmt(hsm, OP.LOGOUT, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, preco, false));
    this.users.set({ name: 'admin', type: USER_TYPE.CO });
  }

  /** A login as every HSM records it; pending HSMs join here. Returns the HSM running the session. */
  private login(user: User, response?: Response): HsmState {
    const hsms = this.hsms.filter((hsm) => hsm.status !== 'retired');
    const ready = hsms.filter((hsm) => hsm.status === 'active');
    const runner = this.rng.pick(ready.length > 0 ? ready : hsms);
    [runner, ...hsms.filter((hsm) => hsm !== runner)].forEach((hsm, index) => {
      if (index > 0) this.recorder.advance(8, 60);
      hsm.status = 'active';
      this.recorder.newSession(hsm);
      this.recorder.mgmt(
        hsm,
        OP.LOGIN,
        LOG_TYPE.USER_DETAILS,
        this.recorder.userDetails(hsm, user, false),
        response,
      );
    });
    return runner;
  }

  /** Mostly CN_LOGOUT, sometimes CN_APP_FINALIZE (connection closed), sometimes nothing. */
  private logout(hsm: HsmState, user: User): void {
    const how = this.rng.weighted([
      ['logout', 80],
      ['finalize', 10],
      ['none', 10],
    ] as const);
    if (how === 'none') return;
    this.recorder.advance(50, 3_000);
    const opcode = how === 'logout' ? OP.LOGOUT : OP.APP_FINALIZE;
    this.recorder.mgmt(
      hsm,
      opcode,
      LOG_TYPE.USER_DETAILS,
      this.recorder.userDetails(hsm, user, false),
    );
  }

  private activity(): void {
    // Near the end, only single-record activities, so the exact record count never cuts a mirrored
    // login or a key synchronisation in half. The largest activity (a CU session with four key-pair
    // generations) writes 9 records per HSM + 5.
    const hsms = this.hsms.filter((hsm) => hsm.status !== 'retired').length;
    if (this.recorder.remaining < 9 * hsms + 6) {
      if (this.rng.chance(0.8)) this.timeSync();
      else this.unknownOpcode();
      return;
    }
    const kind = this.rng.weighted([
      ['cu', 34],
      ['co', 12],
      ['loginOnly', 18],
      ['wrongPassword', 12],
      ['unknownUser', 6],
      ['timeSync', 8],
      ['unknownOpcode', 4],
    ] as const);
    const cus = this.users.ofType(USER_TYPE.CU);
    const cos = this.users.ofType(USER_TYPE.CO);
    if (kind === 'cu' && cus.length > 0) this.cuSession(this.rng.pick(cus));
    else if (kind === 'co' || kind === 'cu') this.coSession(this.rng.pick(cos), this.rng.int(1, 2));
    else if (kind === 'loginOnly') {
      const user = this.rng.pick([...cus, ...cos]);
      this.logout(this.login(user), user);
    } else if (kind === 'wrongPassword') this.wrongPassword(this.rng.pick([...cus, ...cos]));
    else if (kind === 'unknownUser') {
      this.login(
        { name: this.rng.pick(UNKNOWN_USER_NAMES), type: USER_TYPE.CU },
        RESPONSE.UNKNOWN_USER,
      );
    } else if (kind === 'timeSync') this.timeSync();
    else this.unknownOpcode();
  }

  /** 1–3 wrong passwords (163 on every HSM), then half the time the right one. */
  private wrongPassword(user: User): void {
    const tries = this.rng.int(1, 3);
    for (let i = 0; i < tries; i += 1) {
      if (i > 0) this.recorder.advance(1_000, 15_000);
      this.login(user, RESPONSE.WRONG_PASSWORD);
    }
    if (this.rng.chance(0.5)) {
      this.recorder.advance(2_000, 20_000);
      this.logout(this.login(user), user);
    }
  }

  private coSession(officer: User, commands: number): void {
    const runner = this.login(officer);
    for (let i = 0; i < commands; i += 1) {
      this.recorder.advance(500, 8_000);
      this.users.run(runner, officer);
    }
    this.logout(runner, officer);
  }

  private cuSession(user: User): void {
    const runner = this.login(user);
    const commands = this.rng.int(1, 4);
    for (let i = 0; i < commands; i += 1) {
      this.recorder.advance(100, 10_000);
      this.keys.run(
        runner,
        this.active().filter((hsm) => hsm !== runner),
      );
    }
    this.logout(runner, user);
  }

  /** TIME_INFO_LOG: the HSM's clock against the host's (lines from a public parser). */
  private timeSync(): void {
    const active = this.active();
    if (active.length === 0) return;
    const now = this.recorder.now;
    const hostTime = now - this.rng.int(50, 5_000);
    this.recorder.emit(this.rng.pick(active), {
      commandType: COMMAND.TIME_INFO,
      opcode: OP.TIME_SYNC,
      sessionHandle: 0,
      responseCode: 0,
      logType: LOG_TYPE.TIME_INFO,
      details: [
        ['local time', `${formatHsmTime(now)}, usec:${now}`],
        ['host time', `${formatHsmTime(hostTime)} usec:${hostTime}`],
        ['propagation delay', `usec:${this.rng.int(20, 900)}`],
      ],
    });
  }

  /** An opcode the reference does not document, carried with an UNKNOWN_LOG_TYPE or minimal entry. */
  private unknownOpcode(): void {
    const active = this.active();
    if (active.length === 0) return;
    const hsm = this.rng.pick(active);
    const opcode: Coded = this.options.hsm2m
      ? (UNKNOWN_OPCODES[0] as Coded)
      : this.rng.pick(UNKNOWN_OPCODES);
    this.recorder.emit(hsm, {
      commandType: COMMAND.MGMT,
      opcode,
      sessionHandle: hsm.session,
      responseCode: 0,
      logType: this.rng.chance(0.5) ? LOG_TYPE.UNKNOWN : LOG_TYPE.MINIMAL,
      details: [],
    });
  }
}
