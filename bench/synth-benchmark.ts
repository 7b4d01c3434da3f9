/**
 * How long `app.synth()` takes for a stack of N associations, in a warm
 * process (aws-cdk-lib loaded and its code compiled by the JIT): WARMUP_ROUNDS
 * untimed rounds over every case first, since the first synths of a process are
 * several times slower; then each case as a block, WARMUP_ROUNDS untimed synths
 * of that very case (the first after switching stack shapes are slower too),
 * then its timed repeats.
 */
import { summarize, Summary } from './stats';
import { synthesize, Variant, VARIANTS } from './synthesize';

export const SYNTH_SIZES = [1, 100] as const;
export const WARMUP_ROUNDS = 3;

export type SynthResults = Record<Variant, Array<{ associations: number; ms: Summary }>>;

export function runSynthBenchmark(repeats: number): SynthResults {
  const results = {} as SynthResults;
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    VARIANTS.forEach((variant) => SYNTH_SIZES.forEach((associations) => synthesize(variant, associations)));
  }
  for (const variant of VARIANTS) {
    results[variant] = SYNTH_SIZES.map((associations) => {
      for (let i = 0; i < WARMUP_ROUNDS; i++) {
        synthesize(variant, associations);
      }
      const timings: number[] = [];
      for (let i = 0; i < repeats; i++) {
        timings.push(synthesize(variant, associations).synthMs);
      }
      return { associations, ms: summarize(timings) };
    });
  }
  return results;
}
