// How a database address becomes postgres.js's connection: libpq's `?host=/directory` means a Unix socket.
import { describe, expect, it } from "vitest";
import { connectionOf } from "./client";

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

  it("leaves a TCP address as it is", () => {
    const url = "postgres://ledgerlink:secret@db.internal:5432/ledgerlink?sslmode=require&host=db2";
    expect(connectionOf(url)).toEqual({ url });
    expect(connectionOf("postgres://postgres@127.0.0.1:5432/postgres")).toEqual({
      url: "postgres://postgres@127.0.0.1:5432/postgres",
    });
  });
});
