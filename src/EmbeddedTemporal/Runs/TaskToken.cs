using System.Text;
using Google.Protobuf;
using FlashFundX.EmbeddedTemporal.Grpc;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal enum TaskTokenKind : byte
{
    WorkflowTask = 1,
    ActivityTask = 2,
    QueryTask = 3,
}

/// <summary>
/// Opaque task token: kind, run id, a per-kind id (scheduled event id / query id), the attempt and, for a workflow
/// task, which start of a task it was (a real server keeps the started time for this): a dropped speculative task's
/// successor reuses its ids, and its late completion must not complete the successor.
/// </summary>
internal readonly record struct TaskToken(TaskTokenKind Kind, string RunId, long Id, int Attempt, string QueryId = "", long Start = 0)
{
    public ByteString Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)Kind);
            writer.Write(RunId);
            writer.Write(Id);
            writer.Write(Attempt);
            writer.Write(QueryId);
            writer.Write(Start);
        }
        return ByteString.CopyFrom(stream.ToArray());
    }

    public static TaskToken Decode(ByteString token)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(token.ToByteArray()), Encoding.UTF8);
            return new TaskToken(
                (TaskTokenKind)reader.ReadByte(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadString(), reader.ReadInt64());
        }
        catch (EndOfStreamException)
        {
            throw RpcErrors.InvalidArgument("Malformed task token");
        }
    }
}
