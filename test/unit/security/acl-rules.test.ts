import fc from 'fast-check';
import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPublish, checkSubscribe, deriveAcl, type AclNode, OPERATOR_USER, patternCoversFilter, patternMatchesTopic, VIEWER_USER } from '../../../src/security/acl-rules.js';
import { mosquittoAclFile, mosquittoConfigSnippet, mosquittoPasswordLine } from '../../../src/security/mosquitto-files.js';
import { topicMatches } from '../../../src/wire/topics.js';

/** A random tree: node i>0 hangs under a node before it. */
const treeArb = fc.array(fc.nat(), { minLength: 1, maxLength: 12 }).map((picks): AclNode[] => {
  const ids = picks.map((_, i) => `n${i}`);
  const parent = ids.map((_, i) => (i === 0 ? null : ids[picks[i] % i]));
  return ids.map((id, i) => {
    const p = parent[i];
    return {
      id,
            parent: p,
      children: ids.filter((_, j) => parent[j] === id),
      siblings: p === null ? [] : ids.filter((o, j) => o !== id && parent[j] === p),
    };
  });
});

const channelsOwn = ['status', 'sense', 'health', 'state', 'error'];

describe('ACL derived from the tree', () => {
  it('lets a node command exactly its children, publish only its own channels, and peer only as itself to siblings', () => {
    fc.assert(
      fc.property(treeArb, (specs) => {
        const rules = deriveAcl('t', specs);
        for (const s of specs) {
          for (const o of specs) {
            expect(checkPublish(rules, s.id, `strata/t/${o.id}/cmd`).ok).toBe(s.children.includes(o.id));
            for (const ch of channelsOwn) expect(checkPublish(rules, s.id, `strata/t/${o.id}/${ch}`).ok).toBe(o.id === s.id);
            for (const from of specs) expect(checkPublish(rules, s.id, `strata/t/${o.id}/peer/${from.id}`).ok).toBe(from.id === s.id && s.siblings.includes(o.id));
          }
          expect(checkPublish(rules, s.id, 'strata/other/x/cmd').ok).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('grants every subscription the runtime makes and refuses reading other nodes commands', () => {
    fc.assert(
      fc.property(treeArb, (specs) => {
        const rules = deriveAcl('t', specs);
        for (const s of specs) {
          const wants = [`strata/t/${s.id}/cmd`, ...s.children.flatMap((c) => ['state', 'status', 'sense'].map((ch) => `strata/t/${c}/${ch}`))];
          if (s.parent) wants.push(`strata/t/${s.parent}/state`, `strata/t/${s.parent}/health`);
          if (s.siblings.length) wants.push(`strata/t/${s.id}/peer/+`);
          for (const w of wants) expect(checkSubscribe(rules, s.id, w)).toEqual({ ok: true });
          expect(checkSubscribe(rules, s.id, 'strata/t/#').ok).toBe(false);
          for (const o of specs) if (o.id !== s.id) expect(checkSubscribe(rules, s.id, `strata/t/${o.id}/cmd`).ok).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('lets the operator command any node and read the tree, the viewer only read, strangers nothing', () => {
    const rules = deriveAcl('t', [{ id: 'root', parent: null, children: [], siblings: [] }]);
    expect(checkPublish(rules, OPERATOR_USER, 'strata/t/root/cmd').ok).toBe(true);
    expect(checkPublish(rules, OPERATOR_USER, 'strata/t/root/status').ok).toBe(false);
    expect(checkSubscribe(rules, OPERATOR_USER, 'strata/t/#').ok).toBe(true);
    expect(checkPublish(rules, VIEWER_USER, 'strata/t/root/cmd')).toEqual({ ok: false, reason: 'viewer "viewer" may publish only to nothing' });
    expect(checkSubscribe(rules, VIEWER_USER, 'strata/#').ok).toBe(false);
    expect(checkPublish(rules, undefined, 'strata/t/root/cmd')).toEqual({ ok: false, reason: '"(anonymous)" is not a user of tree t' });
    expect(() => deriveAcl('t', [{ ...rules.users.get('root'), id: 'operator', children: [], siblings: [], parent: null } as never])).toThrow(/reserved/);
  });

  it('a pattern covers a filter only if it matches every topic the filter matches', () => {
    const level = fc.constantFrom('a', 'b', '+');
    const filterArb = fc.tuple(fc.array(level, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([ls, hash]) => [...ls, ...(hash ? ['#'] : [])].join('/'));
    const topicArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 6 }).map((ls) => ls.join('/'));
    fc.assert(
      fc.property(filterArb, filterArb, fc.array(topicArb, { maxLength: 30 }), (pattern, filter, topics) => {
        for (const t of topics) expect(patternMatchesTopic(pattern, t)).toBe(topicMatches(pattern, t));
        if (patternCoversFilter(pattern, filter)) for (const t of topics) if (topicMatches(filter, t)) expect(topicMatches(pattern, t)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mosquitto files', () => {
  it('hashes passwords as mosquitto 2 does ($7$, PBKDF2-SHA512)', () => {
    const salt = Buffer.from('0123456789ab');
    const line = mosquittoPasswordLine('arm', 's3cret', salt);
    const [user, , alg, iter, s, h] = line.split(/[:$]/);
    expect([user, alg, iter]).toEqual(['arm', '7', '101']);
    expect(Buffer.from(s, 'base64')).toEqual(salt);
    expect(Buffer.from(h, 'base64')).toEqual(pbkdf2Sync('s3cret', salt, 101, 64, 'sha512'));
    expect(() => mosquittoPasswordLine('a:b', 'x', salt)).toThrow(/":"/);
  });

  it('writes one user block per identity and a listener without anonymous access', () => {
    const rules = deriveAcl('t', [
      { id: 'cell', parent: null, children: ['arm'], siblings: [] },
      { id: 'arm', parent: 'cell', children: [], siblings: [] },
    ]);
    const acl = mosquittoAclFile(rules);
    expect(acl).toContain('user arm\ntopic write strata/t/arm/status');
    expect(acl).toContain('user cell\ntopic write strata/t/cell/status');
    expect(acl).toMatch(/user cell[^]*topic write strata\/t\/arm\/cmd/);
    expect(acl).toContain('user operator\ntopic write strata/t/+/cmd\ntopic read strata/t/#');
    const conf = mosquittoConfigSnippet({ port: 8883, passwordFile: '/p', aclFile: '/a' });
    expect(conf).toContain('allow_anonymous false\npassword_file /p\nacl_file /a');
  });
});
