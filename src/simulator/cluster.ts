/**
 * One simulated CloudHSM cluster, as its HSMs would log it (reference section 3): the first HSM
 * logs initialization and activation; the other HSMs join afterwards and their streams start with
 * a login; every login (successful or not) is recorded by every HSM with its own sequence number
 * and session handle, tens of milliseconds apart; key generation on one HSM is followed by a
 * masked-object extract there and a masked-object insert on each other HSM; user and key
 * management, logouts, time-sync records and unknown opcodes appear on the HSM that ran them.
 *
 * Invariants: per HSM stream, sequence numbers are 0, 1, 2 … in record order and the reboot
 * counter never changes; record times never go backwards within the cluster.
 */
import {
  formatAuditRecord,
  type AuditFields,
  type Coded,
  type SeparatorStyle,
  SEPARATOR_STYLES,
  formatHsmTime,
} from './format';
import type { Rng } from './random';
import {
  COMMAND,
  FIRMWARE_VERSIONS,
  LOG_TYPE,
  OP,
  RESPONSE,
  UNKNOWN_OPCODES,
  UNKNOWN_USER_NAMES,
  USER_NAMES,
  USER_TYPE,
} from './vocabulary';

export interface HsmState {
  hsmId: string;
  seq: number;
  rebootCounter: number;
  separator: SeparatorStyle;
  /** Verbose firmware: `Version No`, `Target User …` and `Key Handle` lines. */
  extraLines: boolean;
  versionNo: string;
  sessionPrefix: number;
  sessionCounter: number;
  /** pending: joined the cluster, logs nothing until the next login; retired: replaced. */
  status: 'pending' | 'active' | 'retired';
  initializer: boolean;
  addedMidRun: boolean;
  replaces?: string;
  /** Session handle of this HSM's side of the current mirrored login. */
  session: number;
}

export interface DraftRecord {
  hsm: HsmState;
  seq: number;
  usecs: number;
  opcode: string;
  message: string;
}

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
  /** Force one separator style on every stream; default: chosen per stream. */
  separator?: SeparatorStyle;
  /** Force verbose lines on (true) or off (false) for every stream; default: chosen per stream. */
  extraLines?: boolean;
  hsm2m: boolean;
}

type User = { name: string; type: Coded };

const MS = 1000; // microseconds per millisecond

export class ClusterModel {
  readonly clusterId: string;
  readonly hsms: HsmState[] = [];
  readonly records: DraftRecord[] = [];
  private now: number;
  private readonly users = new Map<string, User>();
  private readonly keys: number[] = [];
  private nextKeyHandle: number;

  constructor(
    private readonly rng: Rng,
    private readonly options: ClusterOptions,
  ) {
    this.clusterId = `cluster-${rng.base32(11)}`;
    this.now = options.startUsecs;
    this.nextKeyHandle = rng.int(0x40000, 0x40400);
  }

  get done(): boolean {
    return this.records.length >= this.options.records;
  }

  run(): this {
    const first = this.addHsm({ initializer: true });
    first.status = 'active';
    this.initialize(first);
    for (let i = 1; i < this.options.hsms; i += 1) this.addHsm({});
    this.pause();
    this.coSession(this.admin(), 2);
    let replaced = false;
    while (!this.done) {
      if (
        !replaced &&
        this.options.replaceAfter !== undefined &&
        this.records.length >= this.options.replaceAfter
      ) {
        this.replaceHsm();
        replaced = true;
      }
      this.pause();
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

  private replaceHsm(): void {
    const candidates = this.active().filter((hsm) => !hsm.initializer);
    const victim = candidates.length > 0 ? this.rng.pick(candidates) : this.active()[0];
    if (!victim) return;
    victim.status = 'retired';
    this.addHsm({ addedMidRun: true, replaces: victim.hsmId });
  }

  private active(): HsmState[] {
    return this.hsms.filter((hsm) => hsm.status === 'active');
  }

  private admin(): User {
    return this.users.get('admin') as User;
  }

  private newSession(hsm: HsmState): number {
    hsm.sessionCounter = (hsm.sessionCounter % 0xfff) + 1;
    const partition = [0x14000, 0x8000, 0x4000][hsm.sessionPrefix % 3] as number;
    hsm.session = hsm.sessionPrefix * 0x1000000 + partition + hsm.sessionCounter;
    return hsm.session;
  }

  /** Moves the clock forward by a random amount in [minMs, maxMs] (microsecond resolution). */
  private advance(minMs: number, maxMs: number): void {
    this.now += this.rng.int(minMs * MS, maxMs * MS);
  }

  private pause(): void {
    const mean = this.options.meanIntervalMs * MS;
    this.now += Math.max(MS, Math.round(-Math.log(1 - this.rng.next()) * mean));
  }

  private emit(
    hsm: HsmState,
    fields: Omit<AuditFields, 'usecs' | 'seq' | 'rebootCounter' | 'versionNo'>,
  ): void {
    if (this.done || hsm.status === 'retired') return;
    const full: AuditFields = {
      ...fields,
      usecs: this.now,
      seq: hsm.seq,
      rebootCounter: hsm.rebootCounter,
      versionNo: hsm.extraLines ? hsm.versionNo : undefined,
    };
    hsm.seq += 1;
    this.records.push({
      hsm,
      seq: full.seq,
      usecs: this.now,
      opcode: fields.opcode.name,
      message: formatAuditRecord(full, hsm.separator),
    });
  }

  private mgmt(
    hsm: HsmState,
    opcode: Coded,
    logType: Coded,
    details: AuditFields['details'],
    response?: { code: number; text: string },
  ): void {
    this.emit(hsm, {
      commandType: COMMAND.MGMT,
      opcode,
      sessionHandle: hsm.session,
      responseCode: response?.code ?? 0,
      responseText: response?.text,
      logType,
      details,
    });
  }

  private userDetails(hsm: HsmState, user: User, target: boolean): AuditFields['details'] {
    const details: Array<readonly [string, string]> = [
      ['User Name', user.name],
      ['User Type', `${user.type.name} (${user.type.code})`],
    ];
    if (target && hsm.extraLines) {
      details.push(
        ['Target User Name', user.name],
        ['Target User Type', `${user.type.name} (${user.type.code})`],
      );
    }
    return details;
  }

  private keyDetails(hsm: HsmState, priv: number, pub: number): AuditFields['details'] {
    const details: Array<readonly [string, string]> = [
      ['Priv/Secret Key Handle', String(priv)],
      ['Public Key Handle', String(pub)],
    ];
    if (hsm.extraLines) details.push(['Key Handle', String(priv)]);
    return details;
  }

  /** CN_INIT_TOKEN (seq 0) → CN_GEN_PSWD_ENC_KEY → CN_CREATE_APPLIANCE_USER → CN_INIT_DONE, then activation. */
  private initialize(hsm: HsmState): void {
    this.newSession(hsm);
    this.mgmt(hsm, OP.INIT_TOKEN, LOG_TYPE.MINIMAL, []);
    this.advance(100, 250);
    this.mgmt(hsm, OP.GEN_PSWD_ENC_KEY, LOG_TYPE.MINIMAL, []);
    this.advance(20, 60);
    const appUser: User = { name: 'app_user', type: USER_TYPE.AU };
    this.users.set(appUser.name, appUser);
    this.mgmt(
      hsm,
      OP.CREATE_APPLIANCE_USER,
      LOG_TYPE.USER_DETAILS,
      this.userDetails(hsm, appUser, true),
    );
    this.advance(80, 200);
    this.mgmt(hsm, OP.INIT_DONE, LOG_TYPE.MINIMAL, []);
    // Activation, minutes later: the precrypto officer logs in and sets its password.
    this.advance(60_000, 600_000);
    const preco: User = { name: 'admin', type: USER_TYPE.PRECO };
    this.newSession(hsm);
    this.mgmt(hsm, OP.LOGIN, LOG_TYPE.USER_DETAILS, this.userDetails(hsm, preco, false));
    this.advance(2_000, 20_000);
    this.mgmt(hsm, OP.CHANGE_PSWD, LOG_TYPE.USER_DETAILS, this.userDetails(hsm, preco, true));
    this.advance(500, 5_000);
    this.mgmt(hsm, OP.LOGOUT, LOG_TYPE.USER_DETAILS, this.userDetails(hsm, preco, false));
    this.users.set('admin', { name: 'admin', type: USER_TYPE.CO });
  }

  /**
   * A login as every HSM records it; pending HSMs join here. Returns the HSM that runs the session.
   */
  private login(user: User, response?: { code: number; text: string }): HsmState | undefined {
    const hsms = this.hsms.filter((hsm) => hsm.status !== 'retired');
    const ready = hsms.filter((hsm) => hsm.status === 'active');
    const runner = this.rng.pick(ready.length > 0 ? ready : hsms);
    const order = [runner, ...hsms.filter((hsm) => hsm !== runner)];
    order.forEach((hsm, index) => {
      if (index > 0) this.advance(8, 60);
      hsm.status = 'active';
      this.newSession(hsm);
      this.mgmt(hsm, OP.LOGIN, LOG_TYPE.USER_DETAILS, this.userDetails(hsm, user, false), response);
    });
    return runner;
  }

  private logout(hsm: HsmState, user: User): void {
    const how = this.rng.weighted([
      ['logout', 80],
      ['finalize', 10],
      ['none', 10],
    ] as const);
    if (how === 'none') return;
    this.advance(50, 3_000);
    this.mgmt(
      hsm,
      how === 'logout' ? OP.LOGOUT : OP.APP_FINALIZE,
      LOG_TYPE.USER_DETAILS,
      this.userDetails(hsm, user, false),
    );
  }

  private activity(): void {
    // Near the end, only single-record activities, so the exact record count never cuts a mirrored
    // login or a key synchronisation in half. The largest activity (a CU session with four key-pair
    // generations) writes 9 records per HSM + 5.
    const hsms = this.hsms.filter((hsm) => hsm.status !== 'retired').length;
    if (this.options.records - this.records.length < 9 * hsms + 6) {
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
    const cus = [...this.users.values()].filter((user) => user.type === USER_TYPE.CU);
    const cos = [...this.users.values()].filter((user) => user.type === USER_TYPE.CO);
    if (kind === 'cu' && cus.length > 0) this.cuSession(this.rng.pick(cus));
    else if (kind === 'co' || kind === 'cu') this.coSession(this.rng.pick(cos), this.rng.int(1, 2));
    else if (kind === 'loginOnly') {
      const user = this.rng.pick([...cus, ...cos]);
      const runner = this.login(user);
      if (runner) this.logout(runner, user);
    } else if (kind === 'wrongPassword') this.wrongPassword(this.rng.pick([...cus, ...cos]));
    else if (kind === 'unknownUser')
      this.login(
        { name: this.rng.pick(UNKNOWN_USER_NAMES), type: USER_TYPE.CU },
        RESPONSE.UNKNOWN_USER,
      );
    else if (kind === 'timeSync') this.timeSync();
    else this.unknownOpcode();
  }

  private wrongPassword(user: User): void {
    const tries = this.rng.int(1, 3);
    for (let i = 0; i < tries; i += 1) {
      if (i > 0) this.advance(1_000, 15_000);
      this.login(user, RESPONSE.WRONG_PASSWORD);
    }
    if (this.rng.chance(0.5)) {
      this.advance(2_000, 20_000);
      const runner = this.login(user);
      if (runner) this.logout(runner, user);
    }
  }

  private coSession(officer: User, commands: number): void {
    const runner = this.login(officer);
    if (!runner) return;
    for (let i = 0; i < commands; i += 1) {
      this.advance(500, 8_000);
      this.userCommand(runner, officer);
    }
    this.logout(runner, officer);
  }

  private userCommand(hsm: HsmState, officer: User): void {
    const deletable = [...this.users.values()].filter(
      (user) => user.type !== USER_TYPE.AU && user.name !== 'admin' && user.name !== officer.name,
    );
    const cuCount = [...this.users.values()].filter((user) => user.type === USER_TYPE.CU).length;
    const kind =
      cuCount === 0
        ? 'createUser'
        : this.rng.weighted([
            ['createUser', 35],
            ['createCo', 10],
            ['deleteUser', deletable.length > 2 ? 20 : 0],
            ['changePassword', 35],
          ] as const);
    if (kind === 'createUser' || kind === 'createCo') {
      const user: User = {
        name: this.freshUserName(),
        type: kind === 'createUser' ? USER_TYPE.CU : USER_TYPE.CO,
      };
      this.users.set(user.name, user);
      this.mgmt(
        hsm,
        kind === 'createUser' ? OP.CREATE_USER : OP.CREATE_CO,
        LOG_TYPE.USER_DETAILS,
        this.userDetails(hsm, user, true),
      );
    } else if (kind === 'deleteUser') {
      const user = this.rng.pick(deletable);
      this.users.delete(user.name);
      this.mgmt(hsm, OP.DELETE_USER, LOG_TYPE.USER_DETAILS, this.userDetails(hsm, user, true));
    } else {
      const user = this.rng.pick(
        [...this.users.values()].filter((candidate) => candidate.type !== USER_TYPE.AU),
      );
      this.mgmt(hsm, OP.CHANGE_PSWD, LOG_TYPE.USER_DETAILS, this.userDetails(hsm, user, true));
    }
  }

  private freshUserName(): string {
    const base = this.rng.pick(USER_NAMES);
    if (!this.users.has(base)) return base;
    let suffix = 2;
    while (this.users.has(`${base}${suffix}`)) suffix += 1;
    return `${base}${suffix}`;
  }

  private cuSession(user: User): void {
    const runner = this.login(user);
    if (!runner) return;
    const commands = this.rng.int(1, 4);
    for (let i = 0; i < commands; i += 1) {
      this.advance(100, 10_000);
      this.keyCommand(runner);
    }
    this.logout(runner, user);
  }

  private newKey(): number {
    this.nextKeyHandle += this.rng.int(1, 4);
    this.keys.push(this.nextKeyHandle);
    return this.nextKeyHandle;
  }

  /** Key synchronisation: extract on the HSM that made the key, insert on every other HSM. */
  private syncKey(runner: HsmState, handle: number): void {
    this.advance(1, 5);
    this.mgmt(
      runner,
      OP.EXTRACT_MASKED_OBJECT_USER,
      LOG_TYPE.KEY_DETAILS,
      this.keyDetails(runner, handle, 0),
    );
    for (const other of this.active().filter((hsm) => hsm !== runner)) {
      this.advance(15, 90);
      this.mgmt(
        other,
        OP.INSERT_MASKED_OBJECT_USER,
        LOG_TYPE.KEY_DETAILS,
        this.keyDetails(other, handle, 0),
      );
    }
  }

  private keyCommand(hsm: HsmState): void {
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
      this.mgmt(
        hsm,
        kind === 'unwrap' ? OP.UNWRAP_KEY : OP.GENERATE_KEY,
        LOG_TYPE.KEY_DETAILS,
        this.keyDetails(hsm, handle, 0),
      );
      this.syncKey(hsm, handle);
    } else if (kind === 'generateKeyPair') {
      const pub = this.newKey();
      const priv = this.newKey();
      this.mgmt(hsm, OP.GENERATE_KEY_PAIR, LOG_TYPE.KEY_DETAILS, this.keyDetails(hsm, priv, pub));
      this.syncKey(hsm, priv);
      this.syncKey(hsm, pub);
    } else if (kind === 'destroy' || kind === 'tombstone') {
      const index = this.rng.int(0, this.keys.length - 1);
      const [handle] = this.keys.splice(index, 1) as [number];
      this.mgmt(
        hsm,
        kind === 'destroy' ? OP.DESTROY_OBJECT : OP.TOMBSTONE_OBJECT,
        LOG_TYPE.KEY_DETAILS,
        this.keyDetails(hsm, handle, 0),
      );
    } else {
      const opcode =
        kind === 'share' ? OP.SHARE_OBJECT : kind === 'wrap' ? OP.WRAP_KEY : OP.NIST_AES_WRAP;
      this.mgmt(
        hsm,
        opcode,
        LOG_TYPE.KEY_DETAILS,
        this.keyDetails(hsm, this.rng.pick(this.keys), 0),
      );
    }
  }

  /** TIME_INFO_LOG: the HSM's clock against the host's (lines from a public parser). */
  private timeSync(): void {
    const active = this.active();
    if (active.length === 0) return;
    const hsm = this.rng.pick(active);
    const hostTime = this.now - this.rng.int(50, 5_000);
    const delay = this.rng.int(20, 900);
    this.emit(hsm, {
      commandType: COMMAND.TIME_INFO,
      opcode: OP.TIME_SYNC,
      sessionHandle: 0,
      responseCode: 0,
      logType: LOG_TYPE.TIME_INFO,
      details: [
        ['local time', `${formatHsmTime(this.now)}, usec:${this.now}`],
        ['host time', `${formatHsmTime(hostTime)} usec:${hostTime}`],
        ['propagation delay', `usec:${delay}`],
      ],
    });
  }

  private unknownOpcode(): void {
    const active = this.active();
    if (active.length === 0) return;
    const hsm = this.rng.pick(active);
    const opcode = this.options.hsm2m
      ? (UNKNOWN_OPCODES[0] as Coded)
      : this.rng.pick(UNKNOWN_OPCODES);
    this.emit(hsm, {
      commandType: COMMAND.MGMT,
      opcode,
      sessionHandle: hsm.session,
      responseCode: 0,
      logType: this.rng.chance(0.5) ? LOG_TYPE.UNKNOWN : LOG_TYPE.MINIMAL,
      details: [],
    });
  }

  /** Clock of the last record, epoch microseconds. */
  get endUsecs(): number {
    return this.now;
  }
}
