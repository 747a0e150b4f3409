// Attacks on sign-in and the web layer, made as an attacker would: a raw HTTP client, a hostile page, a forged header.
import { spawn } from "node:child_process";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { callApi, PASSWORD, signUp, uniqueEmail } from "./helpers";

/** Signs in through next-auth's own endpoint with a raw HTTP client; answers where next-auth sends the client. */
async function rawSignIn(request: APIRequestContext, email: string, password: string, forwardedFor: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/" },
    headers: { "x-forwarded-for": forwardedFor },
    maxRedirects: 0,
  });
  return new URL(response.headers().location!, "http://localhost");
}

test("a forged X-Forwarded-For neither names the client in the audit log nor escapes the sign-in lock", async ({
  page,
  request,
}) => {
  const email = uniqueEmail("forged");
  await signUp(page, { name: "Forged", email });
  const slug = `forged-${Date.now()}`;
  expect((await callApi(page, "tenants.create", "mutation", { name: "Forged ISP", slug })).status).toBe(200);

  expect((await rawSignIn(request, email, PASSWORD, "203.0.113.99")).pathname).toBe("/");
  const audit = await callApi(page, "audit.list", "query", { tenantSlug: slug, action: "auth.sign_in" });
  const entries = JSON.parse(audit.body).result.data.json.entries as { ip: string | null }[];
  expect(entries).toHaveLength(1);
  expect(entries[0]!.ip).toMatch(/^(::1|127\.0\.0\.1|::ffff:127\.0\.0\.1)$/);

  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await rawSignIn(request, email, `guess ${attempt}`, `198.51.100.${attempt}`);
    expect(answer.searchParams.get("code"), `guess ${attempt}`).not.toBe("throttled");
  }
  const locked = await rawSignIn(request, email, PASSWORD, "198.51.100.200");
  expect(locked.pathname).toBe("/login");
  expect(locked.searchParams.get("code")).toBe("throttled");
});

test("sign-up answers a known and a new address alike over raw HTTP, and signs neither in", async ({
  browser,
  page,
  request,
}) => {
  const known = uniqueEmail("known");
  await signUp(page, { name: "Known", email: known });

  // The sign-up action as a browser posts it, captured (and kept from the server), then replayed by a raw client.
  const visitor = await browser.newPage();
  let posted: { headers: Record<string, string>; body: string } | undefined;
  await visitor.route("**/signup", async (route) => {
    const sent = route.request();
    if (sent.method() !== "POST") return route.continue();
    posted = { headers: await sent.allHeaders(), body: sent.postDataBuffer()!.toString() };
    await route.abort();
  });
  const probe = uniqueEmail("probe");
  await visitor.goto("/signup");
  await visitor.getByLabel("Your name").fill("Prober");
  await visitor.getByLabel("E-mail").fill(probe);
  await visitor.getByLabel("Password").fill("the prober's password");
  await visitor.getByRole("button", { name: "Create account" }).click();
  await expect.poll(() => posted?.body.includes(probe)).toBe(true);
  await visitor.close();

  const replay = async (email: string) => {
    const { "content-length": _length, cookie: _cookie, ...headers } = posted!.headers;
    const response = await request.post("/signup", {
      headers,
      data: Buffer.from(posted!.body.replace(probe, email)),
      maxRedirects: 0,
    });
    const cookies = response.headersArray().filter((header) => header.name.toLowerCase() === "set-cookie");
    return { status: response.status(), body: (await response.text()).replaceAll(email, "<e-mail>"), cookies };
  };
  const fresh = await replay(uniqueEmail("fresh"));
  const taken = await replay(known);
  expect(fresh.status).toBe(200);
  expect(fresh.body).toContain('"sent":"outbox"');
  expect(fresh.cookies).toEqual([]);
  expect(taken).toEqual(fresh);
});

test("no callbackUrl takes a signed-in person off the site", async ({ page }) => {
  const visits: string[] = [];
  await page.context().route(
    (url) => url.hostname === "evil.example",
    async (route) => {
      visits.push(route.request().url());
      await route.fulfill({ body: "phished" });
    },
  );
  const email = uniqueEmail("redirect");
  await signUp(page, { name: "Redirected", email });
  for (const attack of ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"]) {
    await page.goto(`/login?callbackUrl=${encodeURIComponent(attack)}`);
    await expect(page, JSON.stringify(attack)).toHaveURL(/^http:\/\/localhost:\d+\//);
  }
  expect(visits).toEqual([]);
});

test("the sign-in page shows no words from its query string, only its own", async ({ page }) => {
  const planted = "Your account is suspended. Call +1 555 0100 to restore it.";
  await page.goto(`/login?error=${encodeURIComponent(planted)}`);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Signing in did not work. Try again.");
  await expect(page.getByText(planted)).toHaveCount(0);
  await page.goto("/login?error=CredentialsSignin&code=throttled");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "Too many failed sign-ins. Wait 15 minutes and try again.",
  );
});

test("the Zoho screen shows the callback's own refusal, and not words planted in a link", async ({ page }) => {
  await signUp(page, { name: "Planted", email: uniqueEmail("planted") });
  const slug = `planted-${Date.now()}`;
  expect((await callApi(page, "tenants.create", "mutation", { name: "Planted ISP", slug })).status).toBe(200);
  const planted = "Zoho asks you to re-enter your password at https://evil.example/zoho";
  await page.goto(
    `/t/${slug}/connections/zoho?error=${encodeURIComponent(planted)}&warning=${encodeURIComponent(planted)}`,
  );
  await expect(page.getByRole("button", { name: "Connect with Zoho Books" })).toBeVisible();
  await expect(page.getByText(planted)).toHaveCount(0);

  await page.getByLabel("Region (data centre)").selectOption("SANDBOX");
  await page.getByRole("button", { name: "Connect with Zoho Books" }).click();
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText("Zoho reported: access_denied")).toBeVisible();
});

const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

test("pages carry a CSP no other site can frame, and still work under it", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");

  // The app hydrates under its own policy: the client-side form answers without a full page load.
  await page.getByLabel("E-mail").fill("nobody@example.test");
  await page.getByLabel("Password").fill("not a password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That e-mail and password don't match an account.")).toBeVisible();
  expect(errors.filter((text) => text.includes("Content Security Policy"))).toEqual([]);

  // A hostile page framing the sign-in page gets nothing drawn.
  const login = new URL("/login", page.url()).toString();
  await page.goto("about:blank");
  await page.setContent(`<iframe src="${login}" width="600" height="400"></iframe>`);
  await expect(page.frameLocator("iframe").getByRole("button", { name: "Sign in" })).toHaveCount(0);
  expect(page.frames().some((frame) => frame.url() === login && frame !== page.mainFrame())).toBe(false);
});

test("scripts run only with the response's own nonce: an injected inline script is refused", async ({
  page,
  request,
}) => {
  const [first, second] = [await request.get("/login"), await request.get("/login")];
  const policy = first.headers()["content-security-policy"]!;
  const scriptSources = policy.split("; ").find((directive) => directive.startsWith("script-src "))!;
  expect(scriptSources).toMatch(/^script-src 'self' 'nonce-[\w+/=]{24}' 'strict-dynamic'$/);
  const nonce = nonceOf(policy)!;
  expect(nonceOf(second.headers()["content-security-policy"]!)).not.toBe(nonce);
  // Next.js put the nonce on its own scripts.
  expect(await first.text()).toContain(`nonce="${nonce}"`);

  // As a stored or reflected XSS would: markup the server sent, with a script the server did not mean.
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { violations: seen });
    document.addEventListener("securitypolicyviolation", (event) => seen.push(event.effectiveDirective));
  });
  await page.route("**/login", async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const original = await route.fetch();
    const body = (await original.text()).replace("<body", "<script>window.injected = true</script><body");
    await route.fulfill({ response: original, body });
  });
  await page.goto("/login");
  await page.getByLabel("E-mail").fill("nobody@example.test");
  await page.getByLabel("Password").fill("not a password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // The form answered through the app's own scripts, which carry the nonce.
  await expect(page.getByText("That e-mail and password don't match an account.")).toBeVisible();
  expect(await page.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([
    "script-src-elem",
  ]);
});

test("/api/inngest without Inngest keys answers 503 with its reason", async ({ request }) => {
  const response = await request.get("/api/inngest");
  expect(response.status()).toBe(503);
  expect(await response.json()).toMatchObject({ error: "inngest_not_configured" });
});

test("a production server with a database but no secrets exits non-zero, naming what is missing", async () => {
  const server = spawn("node_modules/.bin/next", ["start", "-p", "3291"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      DATABASE_URL: "postgres://x@127.0.0.1:1/x",
    },
  });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      server.kill();
      resolve(null);
    }, 30_000);
    server.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(code, output).toBe(1);
  expect(output).toContain("AUTH_SECRET: required when DATABASE_URL is set");
});
