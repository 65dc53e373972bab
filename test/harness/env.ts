/**
 * Loaded by jest before every test file: n8n-core reads these when its modules load, so they must be
 * set first. Each jest worker gets its own temporary n8n user folder.
 */
import 'reflect-metadata';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'wa-commerce-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key-not-a-secret';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
