// next-auth: e-mail and password sign-in, JWT sessions carrying the person's id.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/server/env";
import { authenticate } from "./authenticate";
import { safeCallbackPath } from "./callback-path";
import { clientAddress } from "./client-address";
import { confirmEmail } from "./email-confirmation";

class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
}

class UnconfirmedSignIn extends CredentialsSignin {
  code = "unconfirmed";
}

const credentials = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });
class WrongConfirmationPassword extends CredentialsSignin {
  code = "wrong-password";
}

const confirmation = z.object({ token: z.string().min(20).max(200), password: z.string().min(1).max(200) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: "/login" },
  // A wrong password is an expected outcome, not an error worth a stack trace in the logs.
  logger: {
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const result = await authenticate(await getDb(), { ...parsed.data, ip: clientAddress(request.headers) });
        if (result.ok) return result.person;
        if (result.reason === "throttled") throw new ThrottledSignIn();
        if (result.reason === "unconfirmed") throw new UnconfirmedSignIn();
        return null;
      },
    }),
    // The link mailed at sign-up with the password chosen there: used up as it confirms the address, it signs in once.
    Credentials({
      id: "email-confirmation",
      credentials: { token: { type: "text" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = confirmation.safeParse(raw);
        if (!parsed.success) return null;
        const result = await confirmEmail(await getDb(), { ...parsed.data, ip: clientAddress(request.headers) });
        if (result.ok) return result.person;
        if (result.reason === "throttled") throw new ThrottledSignIn();
        if (result.reason === "invalid") throw new WrongConfirmationPassword();
        return null;
      },
    }),
  ],
  callbacks: {
    // next-auth's own endpoints take a callbackUrl too: the same rule as the forms.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
    },
    // When the person signed in, kept as the token is renewed, so a password reset can end older sessions.
    jwt({ token, user }) {
      if (user?.id) Object.assign(token, { sub: user.id, signedInAt: Date.now() });
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return Object.assign(session, { signedInAt: Number(token.signedInAt ?? 0) });
    },
  },
}));
