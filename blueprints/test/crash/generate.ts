// One `npx projen` of the crash test's fleet, in its own process: argv = <outdir> <version>.
import { synthFleet } from '../helpers';
import { crashFleet } from './crash-fleet';

const [outdir, version] = process.argv.slice(2);
synthFleet(outdir, crashFleet(version as 'v1' | 'v2'));
