/**
 * Entry of the simulator bundle (build/tools/simulator.js): runs the command line and sets the exit
 * code: 0 done, 2 bad argument, 1 failure (the error's name and message on stderr).
 */
import { main } from './cliMain';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`simulator: ${error.name}: ${error.message}\n`);
    process.exitCode = 1;
  },
);
