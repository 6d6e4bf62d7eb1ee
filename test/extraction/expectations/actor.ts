/** The fields the actor test (actor.test.ts) asserts on every row of its simulated sequence. */
export const ACTOR_COLUMNS = [
  'hsm_id',
  'sequence_no_hex',
  'opcode',
  'actor_user_name',
  'actor_user_type',
  'actor_user_role',
  'user',
  'src_user',
];
