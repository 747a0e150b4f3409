// Network faults both simulators inject: 5xx answers, and connections dropped before or after a request takes effect.
import { DroppedConnection } from "./http-adapter";
import type { Random } from "./splynx/random";

export type NetworkFaults = {
  /** Share of requests answered 500 before they do anything. */
  serverErrorRate: number;
  /** Share of requests whose connection drops; `after` drops once the request has taken effect. */
  dropRate: number;
  dropPhase: "before" | "after";
};

export async function withNetworkFaults(
  faults: NetworkFaults,
  random: Random,
  serverError: () => Response,
  work: () => Promise<Response>,
): Promise<Response> {
  const drop = () => faults.dropRate > 0 && random.chance(faults.dropRate);
  if (faults.dropPhase === "before" && drop()) throw new DroppedConnection();
  if (faults.serverErrorRate > 0 && random.chance(faults.serverErrorRate)) return serverError();
  const response = await work();
  if (faults.dropPhase === "after" && drop()) throw new DroppedConnection();
  return response;
}
