/**
 * A kind one slip away from one netglass reads (`NetworkPolicyy`, `networkpolicy`, `Deployments`): the
 * loader skips it, so the policy it was meant to be changes no verdict, and `kubectl apply` fails on it
 * ("no matches for kind"). Real kinds near a known one (`Node`, `CronTab`) are not reported: the loader
 * asks for a close match on a kind long enough to tell.
 */
import { issueRule } from './issue-rule.ts';

export const unknownKind = issueRule(
  {
    id: 'unknown-kind',
    severity: 'warning',
    summary:
      'a kind one slip away from one netglass reads (NetworkPolicyy): skipped, it changes no verdict, and kubectl apply refuses it',
  },
  'unknown-kind',
  (d) => ({
    message: `${d.written} is not a Kubernetes kind: the object was skipped, so its rules change no verdict, and kubectl apply refuses it (no matches for kind ${d.written})`,
    fix: `write kind: ${d.meant}`,
  }),
);
