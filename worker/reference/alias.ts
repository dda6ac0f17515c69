/** A seed path that forwards to a Better Auth endpoint, documented as that endpoint's POST under its own name. */
import type { OpenApiPaths, Operation } from "./openapi.ts";

export function postAlias(
  { basePath, paths }: { basePath: string; paths: OpenApiPaths },
  alias: string,
  target: { path: string; method: "get" | "post" },
  note: string,
  /** The alias's own body, when it differs from the target's. */
  requestBody?: Record<string, unknown>,
): OpenApiPaths {
  const forwarded: Operation = paths[`${basePath}${target.path}`]?.[target.method] ?? {};
  const operationId =
    typeof forwarded.operationId === "string" ? `${forwarded.operationId}SeedPath` : undefined;
  return {
    [`${basePath}${alias}`]: {
      post: {
        ...forwarded,
        ...(operationId ? { operationId } : {}),
        ...(requestBody ? { requestBody } : {}),
        description: `The seed's path for ${target.method.toUpperCase()} ${basePath}${target.path}. ${note}`,
        responses: forwarded.responses ?? {},
      },
    },
  };
}
