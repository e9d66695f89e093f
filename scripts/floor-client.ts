/**
 * The least a client can do to answer `heph next`: connect to $HEPH_SOCKET, send daemon.info and
 * next in one write (as the CLI does), wait for both reply lines and print them raw. Compiled by
 * scripts/bench-floor.ts with heph's own build flags, as the floor that includes the daemon's
 * round trip; not part of heph.
 */
async function main() {
  const request =
    '{"jsonrpc":"2.0","id":1,"method":"daemon.info"}\n' +
    '{"jsonrpc":"2.0","id":2,"method":"next","params":{"limit":10,"explain":false}}\n';
  const reply = await new Promise<string>((resolve, reject) => {
    let text = "";
    Bun.connect({
      unix: process.env.HEPH_SOCKET ?? "",
      socket: {
        open(socket) {
          socket.write(request);
        },
        data(socket, chunk) {
          text += chunk.toString();
          if (text.split("\n").length > 2) {
            resolve(text);
            socket.end();
          }
        },
        close: () => reject(new Error("closed before both replies")),
        error: (_socket, error) => reject(error),
      },
    }).catch(reject);
  });
  console.log(reply.trimEnd());
}

main();
