/**
 * The HSMs of one cluster as the records see them: each HSM's own sequence counter, reboot counter,
 * separator style and session handles, and one clock shared by the cluster. `emit` is the only
 * place a record is made, so per stream the sequence numbers run 0, 1, 2 … in record order, and
 * record times never go backwards. Emitting stops once the cluster's record budget is spent.
 */
import { formatAuditRecord, type AuditFields, type Coded, type SeparatorStyle } from './format';
import type { Rng } from './random';
import { COMMAND } from './vocabulary';

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
  /** Set when the HSM rebooted mid-run: the first sequence number logged with the new counter. */
  reboot?: { seq: number; from: number; to: number };
}

/** A record before its text is made (formatting is most of the cost; a probe run skips it). */
export interface DraftRecord {
  hsm: HsmState;
  seq: number;
  usecs: number;
  opcode: string;
  fields: AuditFields;
  separator: SeparatorStyle;
}

export function draftText(draft: DraftRecord): string {
  return formatAuditRecord(draft.fields, draft.separator);
}

export type User = { name: string; type: Coded };
export type Response = { code: number; text: string };
type Details = AuditFields['details'];

const MS = 1000; // microseconds per millisecond

export class Recorder {
  readonly records: DraftRecord[] = [];

  constructor(
    private readonly rng: Rng,
    /** Epoch microseconds: the cluster's clock. */
    public now: number,
    private readonly budget: number,
  ) {}

  get done(): boolean {
    return this.records.length >= this.budget;
  }

  get remaining(): number {
    return this.budget - this.records.length;
  }

  /** Moves the clock forward by a random amount in [minMs, maxMs] (microsecond resolution). */
  advance(minMs: number, maxMs: number): void {
    this.now += this.rng.int(minMs * MS, maxMs * MS);
  }

  /** An exponentially distributed pause, as between independent human actions. */
  pause(meanMs: number): void {
    this.now += Math.max(MS, Math.round(-Math.log(1 - this.rng.next()) * meanMs * MS));
  }

  newSession(hsm: HsmState): number {
    hsm.sessionCounter = (hsm.sessionCounter % 0xfff) + 1;
    const partition = [0x14000, 0x8000, 0x4000][hsm.sessionPrefix % 3] as number;
    hsm.session = hsm.sessionPrefix * 0x1000000 + partition + hsm.sessionCounter;
    return hsm.session;
  }

  emit(
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
      fields: full,
      separator: hsm.separator,
    });
  }

  /** A CN_MGMT_CMD record in the HSM's current session. */
  mgmt(hsm: HsmState, opcode: Coded, logType: Coded, details: Details, response?: Response): void {
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

  /** `User Name`/`User Type`, plus `Target User …` on verbose firmware when `target`. */
  userDetails(hsm: HsmState, user: User, target: boolean): Details {
    const type = `${user.type.name} (${user.type.code})`;
    const details: Array<readonly [string, string]> = [
      ['User Name', user.name],
      ['User Type', type],
    ];
    if (target && hsm.extraLines)
      details.push(['Target User Name', user.name], ['Target User Type', type]);
    return details;
  }

  /** `Priv/Secret Key Handle`, `Public Key Handle`, plus `Key Handle` on verbose firmware. */
  keyDetails(hsm: HsmState, priv: number, pub: number): Details {
    const details: Array<readonly [string, string]> = [
      ['Priv/Secret Key Handle', String(priv)],
      ['Public Key Handle', String(pub)],
    ];
    if (hsm.extraLines) details.push(['Key Handle', String(priv)]);
    return details;
  }
}
