/** Vitest setup file: after each test file, stop every program it started that still runs, whatever failed before. */
import { afterAll } from "vitest";
import { stopAllPrograms } from "./program-process.ts";

afterAll(stopAllPrograms);
