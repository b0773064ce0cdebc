#!/usr/bin/env node
process.exitCode = require('../lib/cli/synth').main(process.argv.slice(2));
