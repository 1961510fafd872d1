/** Turns a tree grown in bin space into model nodes on the raw scale (thresholds, category codes). */
import { valueBinCount } from './bin-mapper.js';
import type { GrownNode } from './grower.js';
import type { FeatureInfo, GbdtNode, GbdtTree } from './types.js';

/**
 * Threshold of the split "every value left, only missing right". Not Infinity, which JSON
 * cannot hold: every finite number is <= it, and so goes left.
 */
export const ALL_VALUES_LEFT = Number.MAX_VALUE;

export function toModelTree(grown: GrownNode[], features: FeatureInfo[], output: number): GbdtTree {
  const nodes = grown.map((g): GbdtNode => {
    const base = { value: g.value, count: g.stats.count };
    const split = g.split;
    if (split === null) return { feature: -1, missingGoesLeft: false, left: -1, right: -1, gain: 0, ...base };
    const info = features[split.feature];
    const V = valueBinCount(info);
    const node: GbdtNode = {
      feature: split.feature,
      missingGoesLeft: split.goLeft[V] === 1,
      left: g.left,
      right: g.right,
      gain: split.gain,
      ...base,
    };
    if (info.kind === 'numeric') {
      node.threshold = split.bin === V - 1 ? ALL_VALUES_LEFT : info.thresholds[split.bin];
    } else {
      node.categories = [];
      for (let code = 0; code < V; code++) if (split.goLeft[code] === 1) node.categories.push(code);
    }
    return node;
  });
  return { output, nodes };
}
