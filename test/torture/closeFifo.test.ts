/**
 * splunkd going away with stdout a FIFO (a real named pipe): the reader closes it at 50 random
 * points (200 in the long form); the kernel drops what the pipe held. Nothing may be lost, doubles
 * stay within what the pipe could hold plus one slice. See support/closing.ts.
 */
import { closeCase } from './support/closeCase';
import { LONG } from './support/torture';

jest.setTimeout(LONG ? 3_600_000 : 420_000);

closeCase('fifo');
