// How a database address becomes postgres.js's connection: libpq's `?host=/directory` means a Unix socket.
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { connectionOf } from "./client";

/** Where postgres.js would connect with what connectionOf made of the address (nothing is connected). */
function target(address: string) {
  const { url, host } = connectionOf(address);
  const { options } = postgres(url, { host });
  return { host: options.host, port: options.port, path: options.path, user: options.user, database: options.database };
}

describe("connectionOf", () => {
  it("takes libpq's socket directory out of the URL, where postgres.js would send it to the server as a setting", () => {
    expect(connectionOf("postgres://ledgerlink@localhost:5432/ledgerlink?host=%2Fvar%2Frun%2Fpostgresql")).toEqual({
      url: "postgres://ledgerlink@localhost:5432/ledgerlink",
      host: "/var/run/postgresql",
    });
    expect(connectionOf("postgres://ledgerlink@localhost/ledgerlink?host=/tmp/pg&sslmode=disable")).toEqual({
      url: "postgres://ledgerlink@localhost/ledgerlink?sslmode=disable",
      host: "/tmp/pg",
    });
  });

  it("reads libpq's socket form with no host name, the user and password given", () => {
    expect(target("postgres://ledgerlink:secret@/ledgerlink?host=/var/run/postgresql")).toMatchObject({
      path: "/var/run/postgresql/.s.PGSQL.5432",
      user: "ledgerlink",
      database: "ledgerlink",
    });
  });

  it("leaves a multi-host address to postgres.js, and never throws the address with its password", () => {
    const url = "postgres://ledgerlink:s3cret-pw@db1.internal:5432,db2.internal:5433/ledgerlink";
    expect(connectionOf(url)).toEqual({ url });
    expect(target(url)).toMatchObject({ host: ["db1.internal", "db2.internal"], port: [5432, 5433] });
    expect(connectionOf("not a url ?%%%")).toEqual({ url: "not a url ?%%%" });
  });

  it("leaves a TCP address as it is", () => {
    const url = "postgres://ledgerlink:secret@db.internal:5432/ledgerlink?sslmode=require&host=db2";
    expect(connectionOf(url)).toEqual({ url });
    expect(connectionOf("postgres://postgres@127.0.0.1:5432/postgres")).toEqual({
      url: "postgres://postgres@127.0.0.1:5432/postgres",
    });
  });
});
