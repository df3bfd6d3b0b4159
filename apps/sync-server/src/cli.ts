#!/usr/bin/env node
import { runServerCli } from './ops/server-cli.js';

runServerCli();
