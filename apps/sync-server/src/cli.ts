#!/usr/bin/env node
import { runServerCli } from './server-cli.js';

runServerCli();
