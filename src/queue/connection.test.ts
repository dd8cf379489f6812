/** Reading `--queue URL`: what it connects to, its redacted form, and the refusals, none showing the password. */
import { describe, expect, it } from "vitest";
import { InputError } from "../util/errors.js";
import { parseQueueUrl, redactUrlText, scrub } from "./connection.js";

describe("--queue URL", () => {
  it("reads host, port, database, user, password and TLS, and shows it without the password", () => {
    const plain = parseQueueUrl("redis://10.0.0.5:6380", "--queue", {});
    expect(plain.options).toEqual({ host: "10.0.0.5", port: 6380, db: 0 });
    expect(plain.display).toBe("redis://10.0.0.5:6380");
    const full = parseQueueUrl("rediss://trainer:p%40ss@redis.lab:6379/3", "--queue", {});
    expect(full.options).toEqual({ host: "redis.lab", port: 6379, db: 3, username: "trainer", password: "p@ss", tls: { servername: "redis.lab" } });
    expect(full.display).toBe("rediss://trainer:***@redis.lab:6379/3");
    expect(scrub("auth p@ss failed", full)).toBe("auth *** failed");
  });

  it("takes the password from PREDNAS_QUEUE_PASSWORD when the URL has none", () => {
    const location = parseQueueUrl("redis://127.0.0.1:6379", "--queue", { PREDNAS_QUEUE_PASSWORD: "from-env" });
    expect(location.options.password).toBe("from-env");
    expect(location.display).toBe("redis://127.0.0.1:6379");
  });

  it("refuses what is not a Redis URL, saying what to give, without the password", () => {
    const refusal = (text: string) => {
      try {
        parseQueueUrl(text, "--queue", {});
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`accepted ${text}`);
    };
    expect(refusal("localhost")).toMatch(/--queue localhost is not a URL: give redis:\/\//);
    expect(refusal("http://:hunter2@h:1")).toBe("--queue http://:***@h:1: the scheme must be redis:// or rediss://, as in redis://[user:password@]host:port[/db] (rediss:// for TLS)");
    expect(refusal("redis://:hunter2@h")).toMatch(/^--queue redis:\/\/:\*\*\*@h: no port/);
    expect(refusal("redis://h:1/x")).toMatch(/the database after the port must be a number/);
    expect(refusal("redis://h:1?db=2")).toMatch(/options after '\?' or '#' are not read/);
    for (const text of ["http://:hunter2@h:1", "redis://:hunter2@h"]) expect(refusal(text)).not.toContain("hunter2");
    expect(redactUrlText("--queue=redis://u:hunter2@h:1/0")).toBe("--queue=redis://u:***@h:1/0");
  });

  it("shows no password for a URL that is malformed, however it is (a slash or the scheme missing, a bad percent-encoding, '/', '#', '?' or '@' in the password)", () => {
    const messageFor = (text: string) => {
      try {
        parseQueueUrl(text, "--queue", {});
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${text}`);
    };
    // The three, with what the message says.
    expect(messageFor("redis:/:PW-x1@127.0.0.1:6379")).toBe("--queue redis:/:***@127.0.0.1:6379: no host; give redis://[user:password@]host:port[/db] (rediss:// for TLS)");
    expect(messageFor(":PW-x1@127.0.0.1:6379")).toMatch(/^--queue :\*\*\*@127\.0\.0\.1:6379 is not a URL: give redis:\/\/\[user:password@\]host:port\[\/db\] \(rediss:\/\/ for TLS\), with any '\/', '#', '\?', '@' or '%' in the password written %2F, %23, %3F, %40, %25$/);
    expect(messageFor("redis://:PW-x1%1t@127.0.0.1:6379")).toMatch(/^--queue redis:\/\/:\*\*\*@127\.0\.0\.1:6379: the user or password holds a '%' that is not followed by two hex digits: write '%' as %25/);
    // Others of the class: each refused, none showing any part of the password.
    const malformed = [
      "redis:PW-x1@h:1",
      "redis//:PW-x1@h:1",
      "redis://:PW-x1@h",
      "redis://:PW-x1@:1",
      "redis://:PW-x1@h:99999",
      "redis://:PW/x1@h:1",
      "redis://:PW#x1@h:1",
      "redis://:PW?x1@h:1",
      "redis://u:PW-x1@h:1/x",
      "redis://u:PW-x1@h:1?db=2",
      "redis://u:PW-x1@@h:1/zz",
      "redis://u%zz:PW-x1@h:1",
      "redis://:PW x1@h:1/x",
      "redis://PW-x1@h",
      "http://PW-x1@h:1",
      "redis://:PW-x1@[::1:1",
    ];
    for (const text of malformed) {
      const message = messageFor(text);
      expect(message, text).not.toMatch(/PW|x1/);
      expect(message, text).toMatch(/^--queue /);
    }
  });
});
