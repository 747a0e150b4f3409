// Reads a response body up to a size, so a hostile or broken server cannot fill the memory every tenant shares.

export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`The answer exceeded ${limitBytes} bytes`);
    this.name = "BodyTooLarge";
  }
}

/** The body as text; stops reading (and drops the connection's stream) once it passes `limitBytes`. */
export async function readBoundedText(response: Response, limitBytes: number): Promise<string> {
  if (Number(response.headers.get("content-length") ?? 0) > limitBytes) {
    await response.body?.cancel();
    throw new BodyTooLarge(limitBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > limitBytes) {
      await reader.cancel();
      throw new BodyTooLarge(limitBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
}
