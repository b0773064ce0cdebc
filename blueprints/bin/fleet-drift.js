#!/usr/bin/env node
process.exitCode = require('../lib/cli/drift').main(process.argv.slice(2));
