import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../src/config/environments.js';
import { renderKubernetes } from '../../src/deploy/index.js';

const config = environmentSchema.parse({ port: 8080, shadow: { percent: 25 } });

describe('renderKubernetes()', () => {
  it('blue/green: the new revision takes all traffic, the old one stays at weight 0 for rollback', () => {
    const m = renderKubernetes({ environment: 'production', config, strategy: 'bluegreen', next: { model: 'income', version: 3 }, stable: { model: 'income', version: 2 } });
    expect(m.map((x) => x.kind)).toEqual(['Deployment', 'Service', 'Deployment', 'Service', 'HTTPRoute']);
    expect((m[4] as any).spec.rules[0].backendRefs).toEqual([{ name: 'income-v2', port: 80, weight: 0 }, { name: 'income-v3', port: 80, weight: 100 }]);
    expect((m[0] as any).metadata.namespace).toBe('production');
  });

  it('shadow: mirrors its share to the new revision; a first deploy has one revision', () => {
    const shadow = renderKubernetes({ environment: 'production', config, strategy: 'shadow', next: { model: 'income', version: 3 }, stable: { model: 'income', version: 2 } });
    expect((shadow[4] as any).spec.rules[0].filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'income-v3', port: 80 }, percent: 25 } }]);
    const first = renderKubernetes({ environment: 'production', config, strategy: 'canary', next: { model: 'income', version: 1 } });
    expect(first.map((x) => x.kind)).toEqual(['Deployment', 'Service', 'HTTPRoute']);
    expect((first[2] as any).spec.rules[0].backendRefs).toEqual([{ name: 'income-v1', port: 80, weight: 100 }]);
  });
});
