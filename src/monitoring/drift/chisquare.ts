/**
 * Chi-square tests over aligned category counts. Two variants, because the tools differ:
 * - goodness of fit (Evidently): `scipy.stats.chisquare(f_obs=cur, f_exp=ref·n_cur/n_ref)`.
 *   A category absent from the reference has expected count 0, so the statistic is +∞ and
 *   p = 0 (Evidently #96): a new category always drifts.
 * - contingency (NannyML, alibi-detect): `scipy.stats.chi2_contingency` on the K×2 table
 *   [ref, cur], with Yates' correction when dof = 1. A new category is just another row.
 */
import { pairwiseSum } from './numeric.js';
import { chi2Sf } from './special.js';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

export function chiSquareGoodnessOfFit(ref: Float64Array, cur: Float64Array, nRef: number, nCur: number): ChiSquareResult {
  const k = ref.length;
  const kNorm = nCur / nRef;
  const terms = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const exp = ref[i] * kNorm;
    const d = cur[i] - exp;
    terms[i] = (d * d) / exp;
  }
  const statistic = pairwiseSum(terms);
  const dof = k - 1;
  return { statistic, pValue: dof > 0 ? chi2Sf(statistic, dof) : NaN, dof };
}

export function chiSquareContingency(ref: Float64Array, cur: Float64Array): ChiSquareResult {
  const k = ref.length;
  let nRef = 0, nCur = 0;
  for (let i = 0; i < k; i++) { nRef += ref[i]; nCur += cur[i]; }
  const total = nRef + nCur;
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  // C order of the K×2 table: ref_0, cur_0, ref_1, cur_1, ...
  const terms = new Float64Array(2 * k);
  for (let i = 0; i < k; i++) {
    const row = ref[i] + cur[i];
    for (let c = 0; c < 2; c++) {
      const expected = (row * (c === 0 ? nRef : nCur)) / total;
      let observed = c === 0 ? ref[i] : cur[i];
      if (dof === 1) {
        // Yates: move each observed count up to 0.5 towards its expected count.
        const diff = expected - observed;
        observed += Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
      }
      const d = observed - expected;
      terms[2 * i + c] = (d * d) / expected;
    }
  }
  const statistic = pairwiseSum(terms);
  return { statistic, pValue: chi2Sf(statistic, dof), dof };
}
