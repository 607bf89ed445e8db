import { describe, expect, it } from 'vitest';
import {
  MAX_PATHS,
  MAX_REQUEST_BYTES,
  parseRequest,
  parseRequestText,
  parseServerMessage,
  utf8Length,
} from '../../../shared/api/protocol.ts';

const req = (method: string, params: unknown = null, extra: Record<string, unknown> = {}) => ({
  kind: 'request',
  id: 7,
  method,
  params,
  ...extra,
});

describe('parseRequest', () => {
  it('accepts every method with valid params', () => {
    for (const method of ['getInfo', 'getStatus', 'reload', 'listContexts', 'subscribe', 'unsubscribe']) {
      expect(parseRequest(req(method)).ok).toBe(true);
    }
    expect(parseRequest(req('openSource', { kind: 'demo' }))).toEqual({
      ok: true,
      value: { kind: 'request', id: 7, method: 'openSource', params: { kind: 'demo' } },
    });
    expect(parseRequest(req('openSource', { kind: 'manifests', paths: ['/a.yaml', '/b'] })).ok).toBe(true);
    expect(parseRequest(req('openSource', { kind: 'cluster', context: 'kind-dev' })).ok).toBe(true);
  });

  it('refuses malformed envelopes', () => {
    expect(parseRequest(null)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(parseRequest([])).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(parseRequest({ ...req('getInfo'), kind: 'response' })).toMatchObject({
      ok: false,
      error: { field: 'kind' },
    });
    expect(parseRequest({ ...req('getInfo'), id: -1 })).toMatchObject({ ok: false, error: { field: 'id' } });
    expect(parseRequest({ ...req('getInfo'), id: 1.5 })).toMatchObject({ ok: false, error: { field: 'id' } });
    expect(parseRequest(req('getInfo', null, { extra: 1 }))).toMatchObject({
      ok: false,
      error: { field: 'extra' },
    });
  });

  it('names unknown methods without echoing unbounded input', () => {
    const result = parseRequest(req('x'.repeat(500)));
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    if (!result.ok && result.error.code === 'unknown-method') expect(result.error.method.length).toBe(64);
    expect(parseRequest(req('__proto__'))).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('validates params per method', () => {
    expect(parseRequest(req('getInfo', { a: 1 }))).toMatchObject({ ok: false, error: { field: 'params' } });
    expect(parseRequest(req('openSource', { kind: 'nope' }))).toMatchObject({
      ok: false,
      error: { field: 'params.kind' },
    });
    expect(parseRequest(req('openSource', { kind: 'demo', evil: true }))).toMatchObject({
      ok: false,
      error: { field: 'params.evil' },
    });
    expect(parseRequest(req('openSource', { kind: 'manifests', paths: [] }))).toMatchObject({
      ok: false,
      error: { field: 'params.paths' },
    });
    expect(parseRequest(req('openSource', { kind: 'manifests', paths: ['/ok', 3] }))).toMatchObject({
      ok: false,
      error: { field: 'params.paths[1]' },
    });
    expect(parseRequest(req('openSource', { kind: 'manifests', paths: ['/a\0b'] }))).toMatchObject({
      ok: false,
    });
    expect(parseRequest(req('openSource', { kind: 'manifests', paths: ['x'.repeat(5000)] }))).toMatchObject({
      ok: false,
    });
    expect(
      parseRequest(
        req('openSource', {
          kind: 'manifests',
          paths: Array.from({ length: MAX_PATHS + 1 }, (_, i) => `/p${i}`),
        }),
      ),
    ).toMatchObject({ ok: false, error: { field: 'params.paths' } });
    expect(parseRequest(req('openSource', { kind: 'cluster', context: '' }))).toMatchObject({
      ok: false,
      error: { field: 'params.context' },
    });
  });
});

describe('parseRequestText', () => {
  it('checks size before parsing', () => {
    const big = JSON.stringify(
      req('openSource', { kind: 'manifests', paths: ['/'.padEnd(MAX_REQUEST_BYTES, 'x')] }),
    );
    const result = parseRequestText(big);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (!result.ok) expect(result.error.message).toContain('larger');
    expect(parseRequestText('{not json')).toMatchObject({
      ok: false,
      error: { message: 'Request is not valid JSON.' },
    });
    expect(parseRequestText(JSON.stringify(req('getInfo'))).ok).toBe(true);
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });
});

describe('parseServerMessage', () => {
  it('accepts responses and events and rejects the rest', () => {
    expect(parseServerMessage({ kind: 'response', id: 1, result: { ok: true, value: 1 } })).toBeDefined();
    expect(
      parseServerMessage({
        kind: 'response',
        id: null,
        result: { ok: false, error: { code: 'internal', message: 'x' } },
      }),
    ).toBeDefined();
    expect(
      parseServerMessage({ kind: 'event', event: { type: 'source', status: { state: 'idle' } } }),
    ).toBeDefined();
    expect(parseServerMessage({ kind: 'response', id: 'x', result: { ok: true } })).toBeUndefined();
    expect(parseServerMessage({ kind: 'response', id: 1, result: { ok: false } })).toBeUndefined();
    expect(parseServerMessage({ kind: 'event' })).toBeUndefined();
    expect(parseServerMessage('hello')).toBeUndefined();
  });
});
