using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>A request body and what was done to the operation's example to make it.</summary>
public sealed record GeneratedBody(byte[] Bytes, string Description);

/// <summary>
/// Malformed request bodies made from a valid one (the document's example): one to three edits of its JSON tree (a
/// value replaced by a bad one, a field removed, an unknown field added), then sometimes a change of the bytes
/// (invalid UTF-8 inside a string, truncation, duplicate keys, another document altogether).
/// </summary>
public static class MalformedBody
{
    private const string Placeholder = "@@fuzz-raw:";

    private enum EditKind { Replace, Remove, AddField }

    /// <summary><see cref="SameKind"/>: a replaced number becomes <see cref="Number"/>, a string <see cref="Text"/>; else <see cref="Raw"/>.</summary>
    private sealed record Edit(EditKind Kind, int Selector, string Raw, string Name, bool SameKind, string Number, string Text);

    private enum ByteChangeKind { None, InvalidUtf8, Truncate, DuplicateKey, Empty, OtherDocument, Wrap, ByteOrderMark, TrailingGarbage }

    private sealed record ByteChange(ByteChangeKind Kind, int Selector, byte[] Bytes, string Text);

    private static readonly Gen<string> FieldName = Gen.Frequency(
        (4, MalformedValues.UnknownWord),
        (2, Gen.OneOf("__proto__", "constructor", "$type", "$id", "$ref", "id", "userId", "user_id", "role", "isAdmin", "orderStatus",
            "price", "priceAmount", "status", "", " ", "\u0000", "a\u0000b", "AccountType", "ACCOUNTSIZE", "accountsize", "Reason")),
        (1, Gen.Const(new string('f', 70_000))));

    private static readonly Gen<Edit> EditGen = Gen.Select(
        Gen.Frequency((6, Gen.Const(EditKind.Replace)), (2, Gen.Const(EditKind.Remove)), (2, Gen.Const(EditKind.AddField))),
        Gen.Int[0, 1 << 20],
        MalformedValues.JsonValue,
        FieldName,
        Gen.Bool,
        MalformedValues.JsonNumber,
        MalformedValues.JsonString,
        (kind, selector, raw, name, sameKind, number, text) => new Edit(kind, selector, raw, name, sameKind, number, text));

    private static readonly Gen<ByteChange> ByteChangeGen = Gen.Select(
        Gen.Frequency(
            (36, Gen.Const(ByteChangeKind.None)), (4, Gen.Const(ByteChangeKind.InvalidUtf8)), (2, Gen.Const(ByteChangeKind.Truncate)),
            (2, Gen.Const(ByteChangeKind.DuplicateKey)), (1, Gen.Const(ByteChangeKind.Empty)), (3, Gen.Const(ByteChangeKind.OtherDocument)),
            (1, Gen.Const(ByteChangeKind.Wrap)), (1, Gen.Const(ByteChangeKind.ByteOrderMark)), (1, Gen.Const(ByteChangeKind.TrailingGarbage))),
        Gen.Int[0, 1 << 20],
        MalformedValues.InvalidUtf8,
        Gen.Frequency(
            (4, MalformedValues.JsonValue),
            (1, Gen.OneOf("<order><accountType>x</accountType></order>", "accountType=two_step&accountSize=1", "{'a':1}", "{\"a\":1,}", "{a:1}"))),
        (kind, selector, bytes, text) => new ByteChange(kind, selector, bytes, text));

    /// <summary>Bodies derived from <paramref name="example"/> (an empty object when the operation documents none).</summary>
    public static Gen<GeneratedBody> From(JsonNode? example) =>
        Gen.Select(EditGen.Array[1, 3], ByteChangeGen, (edits, change) => Build(example, edits, change));

    private static GeneratedBody Build(JsonNode? example, Edit[] edits, ByteChange change)
    {
        var root = example?.DeepClone() ?? new JsonObject();
        var raws = new List<string>();
        var described = new List<string>();
        foreach (var edit in edits)
        {
            described.Add(Apply(ref root, edit, raws));
        }
        var text = root.ToJsonString();
        for (var i = 0; i < raws.Count; i++)
        {
            text = text.Replace($"\"{Placeholder}{i}\"", raws[i], StringComparison.Ordinal);
        }
        var (bytes, changeDescription) = Change(text, change);
        if (changeDescription is not null)
        {
            described.Add(changeDescription);
        }
        return new GeneratedBody(bytes, string.Join("; ", described));
    }

    private static string Apply(ref JsonNode root, Edit edit, List<string> raws)
    {
        var locations = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        Collect(root, "$", locations);
        string Raw(string raw)
        {
            raws.Add(raw);
            return Placeholder + (raws.Count - 1).ToString(CultureInfo.InvariantCulture);
        }
        switch (edit.Kind)
        {
            case EditKind.AddField:
                var objects = new List<(JsonObject Node, string Path)>();
                CollectObjects(root, "$", objects);
                if (objects.Count == 0)
                {
                    goto default;
                }
                var (target, targetPath) = objects[edit.Selector % objects.Count];
                var name = edit.Name;
                while (target.ContainsKey(name))
                {
                    name += "_";
                }
                target[name] = Raw(edit.Raw);
                return $"add {targetPath}.{MalformedValues.Describe(name)} = {MalformedValues.Describe(edit.Raw)}";
            case EditKind.Remove when locations.Count > 0:
                var removed = locations[edit.Selector % locations.Count];
                if (removed.Key is not null)
                {
                    removed.Parent.AsObject().Remove(removed.Key);
                }
                else
                {
                    removed.Parent.AsArray().RemoveAt(removed.Index);
                }
                return $"remove {removed.Path}";
            case EditKind.Replace when locations.Count > 0:
                var replaced = locations[edit.Selector % locations.Count];
                var current = replaced.Key is not null ? replaced.Parent[replaced.Key] : replaced.Parent.AsArray()[replaced.Index];
                var value = !edit.SameKind ? edit.Raw : current?.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.Number => edit.Number,
                    System.Text.Json.JsonValueKind.String => edit.Text,
                    _ => edit.Raw,
                };
                if (replaced.Key is not null)
                {
                    replaced.Parent[replaced.Key] = Raw(value);
                }
                else
                {
                    replaced.Parent.AsArray()[replaced.Index] = Raw(value);
                }
                return $"set {replaced.Path} = {MalformedValues.Describe(value)}";
            default:
                root = Raw(edit.Raw);
                return $"body = {MalformedValues.Describe(edit.Raw)}";
        }
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, string?, int, string)> locations)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                locations.Add((obj, key, -1, $"{path}.{key}"));
                if (value is not null)
                {
                    Collect(value, $"{path}.{key}", locations);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                locations.Add((array, null, i, $"{path}[{i}]"));
                if (array[i] is { } item)
                {
                    Collect(item, $"{path}[{i}]", locations);
                }
            }
        }
    }

    private static void CollectObjects(JsonNode? node, string path, List<(JsonObject, string)> objects)
    {
        if (node is JsonObject obj)
        {
            objects.Add((obj, path));
            foreach (var (key, value) in obj)
            {
                CollectObjects(value, $"{path}.{key}", objects);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                CollectObjects(array[i], $"{path}[{i}]", objects);
            }
        }
    }

    private static (byte[] Bytes, string? Description) Change(string text, ByteChange change)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (change.Kind)
        {
            case ByteChangeKind.InvalidUtf8:
                // Right after an opening quote, so the bytes land inside a string (or a key) when there is one.
                var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'"').ToArray();
                var at = quotes.Length > 0 ? quotes[change.Selector % quotes.Length] + 1 : change.Selector % (bytes.Length + 1);
                return ([.. bytes[..at], .. change.Bytes, .. bytes[at..]], $"invalid UTF-8 {Convert.ToHexString(change.Bytes)} at byte {at}");
            case ByteChangeKind.Truncate when bytes.Length > 1:
                var length = change.Selector % bytes.Length;
                return (bytes[..length], $"truncated to {length} bytes");
            case ByteChangeKind.DuplicateKey when text.StartsWith("{\"", StringComparison.Ordinal):
                var end = text.IndexOf("\":", StringComparison.Ordinal);
                if (end < 0)
                {
                    return (bytes, null);
                }
                var key = text[1..(end + 1)];
                return (Encoding.UTF8.GetBytes("{" + key + ":" + change.Text + "," + text[1..]), $"duplicate key {MalformedValues.Describe(key)}");
            case ByteChangeKind.Empty:
                return ([], "empty body");
            case ByteChangeKind.OtherDocument:
                return (Encoding.UTF8.GetBytes(change.Text), $"whole body = {MalformedValues.Describe(change.Text)}");
            case ByteChangeKind.Wrap:
                return (Encoding.UTF8.GetBytes("[" + text + "]"), "wrapped in an array");
            case ByteChangeKind.ByteOrderMark:
                return ([0xEF, 0xBB, 0xBF, .. bytes], "UTF-8 byte-order mark");
            case ByteChangeKind.TrailingGarbage:
                return (Encoding.UTF8.GetBytes(text + change.Text), $"trailing {MalformedValues.Describe(change.Text)}");
            default:
                return (bytes, null);
        }
    }
}
