#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the server works from a checkout without a build step
// (e.g. Claude Desktop: {"command": "node", "args": ["<repo>/mcp-servers/forecasting/bin/devops-ai-mcp-forecasting.js"]}).
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
