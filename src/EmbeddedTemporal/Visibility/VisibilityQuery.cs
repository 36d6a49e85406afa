using System.Globalization;
using System.Text;
using System.Text.Json;
using FlashFundX.EmbeddedTemporal.Grpc;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;

namespace FlashFundX.EmbeddedTemporal.Visibility;

/// <summary>
/// The supported subset of Temporal's visibility query language: <c>Field = value</c> (and <c>!=</c>) joined by
/// <c>AND</c>, over WorkflowId, RunId, WorkflowType, ExecutionStatus, TaskQueue and custom keyword/int/bool/
/// keyword-list search attributes, with an optional <c>ORDER BY StartTime DESC|ASC</c>.
/// </summary>
internal sealed class VisibilityQuery
{
    private readonly List<(string Field, bool Equal, JsonElement Value)> _conditions = [];

    private VisibilityQuery()
    {
    }

    public bool Ascending { get; private set; }

    public static VisibilityQuery Parse(string? text)
    {
        var query = new VisibilityQuery();
        var tokens = Tokenize(text ?? "");
        var i = 0;
        string Next() => i < tokens.Count ? tokens[i++] : throw RpcErrors.InvalidArgument($"Unexpected end of query: {text}");
        bool IsKeyword(string word) => i < tokens.Count && tokens[i].Equals(word, StringComparison.OrdinalIgnoreCase);

        while (i < tokens.Count && !IsKeyword("ORDER"))
        {
            var field = Next().Trim('`');
            var op = Next();
            if (op is not ("=" or "!="))
            {
                throw RpcErrors.InvalidArgument($"Unsupported operator '{op}' in query: {text}");
            }
            query._conditions.Add((field, op == "=", ParseLiteral(Next())));
            if (IsKeyword("AND"))
            {
                i++;
            }
            else if (i < tokens.Count && !IsKeyword("ORDER"))
            {
                throw RpcErrors.InvalidArgument($"Only AND-ed conditions are supported: {text}");
            }
        }
        if (IsKeyword("ORDER"))
        {
            i++;
            if (!IsKeyword("BY"))
            {
                throw RpcErrors.InvalidArgument($"Expected BY in query: {text}");
            }
            i++;
            var field = Next();
            if (!field.Equals("StartTime", StringComparison.OrdinalIgnoreCase))
            {
                throw RpcErrors.InvalidArgument($"Only ORDER BY StartTime is supported: {text}");
            }
            query.Ascending = IsKeyword("ASC");
            if (IsKeyword("ASC") || IsKeyword("DESC"))
            {
                i++;
            }
        }
        if (i != tokens.Count)
        {
            throw RpcErrors.InvalidArgument($"Unsupported query: {text}");
        }
        return query;
    }

    public bool Matches(WorkflowExecutionInfo info) => _conditions.All(c => Compare(info, c.Field, c.Value) == c.Equal);

    private static bool Compare(WorkflowExecutionInfo info, string field, JsonElement value)
    {
        string? Text() => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        switch (field)
        {
            case "WorkflowId":
                return info.Execution.WorkflowId == Text();
            case "RunId":
                return info.Execution.RunId == Text();
            case "WorkflowType":
                return info.Type.Name == Text();
            case "TaskQueue":
                return info.TaskQueue == Text();
            case "ExecutionStatus":
                return StatusName(info.Status).Equals(Text(), StringComparison.OrdinalIgnoreCase);
        }
        if (info.SearchAttributes?.IndexedFields.TryGetValue(field, out var payload) != true)
        {
            return false;
        }
        using var doc = JsonDocument.Parse(payload!.Data.Memory);
        var stored = doc.RootElement;
        return stored.ValueKind == JsonValueKind.Array
            ? stored.EnumerateArray().Any(item => ValueEquals(item, value))
            : ValueEquals(stored, value);
    }

    private static bool ValueEquals(JsonElement stored, JsonElement value) => (stored.ValueKind, value.ValueKind) switch
    {
        (JsonValueKind.String, JsonValueKind.String) => stored.GetString() == value.GetString(),
        (JsonValueKind.Number, JsonValueKind.Number) => stored.GetDecimal() == value.GetDecimal(),
        (JsonValueKind.Number, JsonValueKind.String) => stored.GetRawText() == value.GetString(),
        (JsonValueKind.True or JsonValueKind.False, JsonValueKind.True or JsonValueKind.False) => stored.ValueKind == value.ValueKind,
        (JsonValueKind.True or JsonValueKind.False, JsonValueKind.String) =>
            string.Equals(stored.GetRawText(), value.GetString(), StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static string StatusName(WorkflowExecutionStatus status) => status switch
    {
        WorkflowExecutionStatus.Running => "Running",
        WorkflowExecutionStatus.Completed => "Completed",
        WorkflowExecutionStatus.Failed => "Failed",
        WorkflowExecutionStatus.Canceled => "Canceled",
        WorkflowExecutionStatus.Terminated => "Terminated",
        WorkflowExecutionStatus.ContinuedAsNew => "ContinuedAsNew",
        WorkflowExecutionStatus.TimedOut => "TimedOut",
        _ => "Unspecified",
    };

    private static JsonElement ParseLiteral(string token)
    {
        string json;
        if (token.StartsWith('\'') || token.StartsWith('"'))
        {
            json = JsonSerializer.Serialize(token[1..^1]);
        }
        else if (token.Equals("true", StringComparison.OrdinalIgnoreCase) || token.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            json = token.ToLowerInvariant();
        }
        else if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            json = token;
        }
        else
        {
            json = JsonSerializer.Serialize(token);
        }
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                var sb = new StringBuilder().Append(c);
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }
                    sb.Append(text[i++]);
                }
                if (i >= text.Length)
                {
                    throw RpcErrors.InvalidArgument($"Unterminated string in query: {text}");
                }
                i++;
                tokens.Add(sb.Append(c).ToString());
            }
            else if (c == '=')
            {
                tokens.Add("=");
                i++;
            }
            else if (c == '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add("!=");
                i += 2;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '!' or '\'' or '"'))
                {
                    i++;
                }
                if (start == i)
                {
                    throw RpcErrors.InvalidArgument($"Unsupported query: {text}");
                }
                tokens.Add(text[start..i]);
            }
        }
        return tokens;
    }
}
