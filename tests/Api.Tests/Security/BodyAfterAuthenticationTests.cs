using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FlashFundX.Api.Inventory;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// Issue 24: an endpoint that needs a caller reads no body before authentication. An anonymous chunked
/// <c>POST /admin/inventory</c> of 4 MiB (its whole limit) is sent over a raw socket, one chunk at a time, holding the
/// rest back until the answer arrives: the 401 must come after the first chunk, not after the body was buffered.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BodyAfterAuthenticationTests() : ApiTestBase("bodyafterauth")
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>How long the sender holds the rest of the body back waiting for an answer (an API that buffers first never gives one).</summary>
    private static readonly TimeSpan HoldBack = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task AdminInventory_AnonymousChunkedFourMegabytes_Refused401BeforeTheBodyIsSent(string? bearer)
    {
        const long total = InventoryApi.MaxImportBodyBytes;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Service.BaseAddress.Host, Service.BaseAddress.Port);
        var stream = tcp.GetStream();
        var authorization = bearer is null ? "" : $"Authorization: Bearer {bearer}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /admin/inventory HTTP/1.1\r\nHost: {Service.BaseAddress.Authority}\r\nContent-Type: application/json\r\n" +
            $"{authorization}Transfer-Encoding: chunked\r\n\r\n"));
        var response = ReadResponseHeadAsync(stream);

        long sent = 0;
        long sentWhenAnswered = -1;
        var chunk = Chunk();
        while (sent < total)
        {
            await stream.WriteAsync(chunk);
            sent += ChunkBytes;
            if (sentWhenAnswered < 0 && await Task.WhenAny(response, Task.Delay(sent == ChunkBytes ? HoldBack : TimeSpan.Zero)) == response)
            {
                sentWhenAnswered = sent;
                break;
            }
        }
        if (sentWhenAnswered < 0)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("0\r\n\r\n"));
            await response;
            sentWhenAnswered = sent;
        }
        var head = await response;

        Assert.True(sentWhenAnswered == ChunkBytes, $"the answer came after {sentWhenAnswered} of {total} body bytes were sent:\n{head}");
        Assert.StartsWith("HTTP/1.1 401", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One chunk of the chunked encoding: its size in hex, the bytes (inside a JSON string), CRLF.</summary>
    private static byte[] Chunk()
    {
        var data = new byte[ChunkBytes];
        Array.Fill(data, (byte)'a');
        var size = Encoding.ASCII.GetBytes(ChunkBytes.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        return [.. size, .. data, .. "\r\n"u8];
    }

    /// <summary>Reads up to the blank line that ends the response's status line and headers.</summary>
    private static async Task<string> ReadResponseHeadAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return Encoding.ASCII.GetString([.. received]);
            }
            received.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.ASCII.GetString([.. received]);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }
    }
}
