/**
 * The cluster's users and what crypto officers do to them: create crypto users and officers,
 * delete users, change passwords. The records name the affected user (reference section 2); the
 * actor is whoever logged in to the same session.
 */
import type { Rng } from './random';
import type { HsmState, Recorder, User } from './recorder';
import { LOG_TYPE, OP, USER_NAMES, USER_TYPE } from './vocabulary';

export class UserCommands {
  private readonly users = new Map<string, User>();

  constructor(
    private readonly rng: Rng,
    private readonly recorder: Recorder,
  ) {}

  set(user: User): void {
    this.users.set(user.name, user);
  }

  get(name: string): User | undefined {
    return this.users.get(name);
  }

  ofType(type: User['type']): User[] {
    return [...this.users.values()].filter((user) => user.type === type);
  }

  /** One user-management command by `officer` on `hsm`. */
  run(hsm: HsmState, officer: User): void {
    const r = this.recorder;
    const all = [...this.users.values()];
    const deletable = all.filter(
      (user) => user.type !== USER_TYPE.AU && user.name !== 'admin' && user.name !== officer.name,
    );
    const kind = !all.some((user) => user.type === USER_TYPE.CU)
      ? 'createUser'
      : this.rng.weighted([
          ['createUser', 35],
          ['createCo', 10],
          ['deleteUser', deletable.length > 2 ? 20 : 0],
          ['changePassword', 35],
        ] as const);
    if (kind === 'createUser' || kind === 'createCo') {
      const type = kind === 'createUser' ? USER_TYPE.CU : USER_TYPE.CO;
      const user: User = { name: this.freshName(), type };
      this.users.set(user.name, user);
      const opcode = kind === 'createUser' ? OP.CREATE_USER : OP.CREATE_CO;
      r.mgmt(hsm, opcode, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, user, true));
    } else if (kind === 'deleteUser') {
      const user = this.rng.pick(deletable);
      this.users.delete(user.name);
      r.mgmt(hsm, OP.DELETE_USER, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, user, true));
    } else {
      const user = this.rng.pick(all.filter((candidate) => candidate.type !== USER_TYPE.AU));
      r.mgmt(hsm, OP.CHANGE_PSWD, LOG_TYPE.USER_DETAILS, r.userDetails(hsm, user, true));
    }
  }

  private freshName(): string {
    const base = this.rng.pick(USER_NAMES);
    let name = base;
    for (let suffix = 2; this.users.has(name); suffix += 1) name = `${base}${suffix}`;
    return name;
  }
}
