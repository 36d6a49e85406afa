using System.Collections.Concurrent;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.EmbeddedTemporal.Visibility;

/// <summary>
/// Search attributes a workflow may carry: the server's predefined ones that users may set, plus the custom ones
/// added per namespace through OperatorService.AddSearchAttributes. The dev server (<c>temporal server
/// start-dev</c>) pre-registers no custom ones unless given <c>--search-attribute</c>, so neither does this.
/// </summary>
internal sealed class SearchAttributeRegistry
{
    /// <summary>Kept by the server itself; a workflow may not set them.</summary>
    private static readonly Dictionary<string, IndexedValueType> System = new()
    {
        ["WorkflowId"] = IndexedValueType.Keyword,
        ["RunId"] = IndexedValueType.Keyword,
        ["WorkflowType"] = IndexedValueType.Keyword,
        ["StartTime"] = IndexedValueType.Datetime,
        ["ExecutionTime"] = IndexedValueType.Datetime,
        ["CloseTime"] = IndexedValueType.Datetime,
        ["ExecutionStatus"] = IndexedValueType.Keyword,
        ["TaskQueue"] = IndexedValueType.Keyword,
        ["HistoryLength"] = IndexedValueType.Int,
        ["ExecutionDuration"] = IndexedValueType.Int,
        ["StateTransitionCount"] = IndexedValueType.Int,
        ["HistorySizeBytes"] = IndexedValueType.Int,
        ["ParentWorkflowId"] = IndexedValueType.Keyword,
        ["ParentRunId"] = IndexedValueType.Keyword,
        ["RootWorkflowId"] = IndexedValueType.Keyword,
        ["RootRunId"] = IndexedValueType.Keyword,
    };

    /// <summary>Predefined attributes a workflow may set (TemporalChangeVersion is what patching upserts).</summary>
    private static readonly Dictionary<string, IndexedValueType> PredefinedSettable = new()
    {
        ["TemporalChangeVersion"] = IndexedValueType.KeywordList,
        ["BinaryChecksums"] = IndexedValueType.KeywordList,
        ["BuildIds"] = IndexedValueType.KeywordList,
        ["BatcherNamespace"] = IndexedValueType.Keyword,
        ["BatcherUser"] = IndexedValueType.Keyword,
        ["TemporalScheduledStartTime"] = IndexedValueType.Datetime,
        ["TemporalScheduledById"] = IndexedValueType.Keyword,
        ["TemporalSchedulePaused"] = IndexedValueType.Bool,
        ["TemporalNamespaceDivision"] = IndexedValueType.Keyword,
        ["TemporalPauseInfo"] = IndexedValueType.KeywordList,
        ["TemporalReportedProblems"] = IndexedValueType.KeywordList,
    };

    /// <summary>Predefined attributes only the server writes.</summary>
    private static readonly Dictionary<string, IndexedValueType> PredefinedInternal = new()
    {
        ["TemporalWorkerDeploymentVersion"] = IndexedValueType.Keyword,
        ["TemporalWorkflowVersioningBehavior"] = IndexedValueType.Keyword,
        ["TemporalWorkerDeployment"] = IndexedValueType.Keyword,
        ["TemporalUsedWorkerDeploymentVersions"] = IndexedValueType.KeywordList,
        ["TemporalExternalPayloadCount"] = IndexedValueType.Int,
        ["TemporalExternalPayloadSizeBytes"] = IndexedValueType.Int,
    };

    private readonly ConcurrentDictionary<(string Namespace, string Name), IndexedValueType> _custom = new();

    /// <summary>Everything the server defines itself, as ListSearchAttributes reports it.</summary>
    public static IEnumerable<KeyValuePair<string, IndexedValueType>> Defined => System.Concat(PredefinedSettable).Concat(PredefinedInternal);

    public static bool IsServerDefined(string name) =>
        System.ContainsKey(name) || PredefinedSettable.ContainsKey(name) || PredefinedInternal.ContainsKey(name);

    public void Add(string @namespace, string name, IndexedValueType type) => _custom[(@namespace, name)] = type;

    public void Remove(string @namespace, string name) => _custom.TryRemove((@namespace, name), out _);

    public IEnumerable<KeyValuePair<string, IndexedValueType>> Custom(string @namespace) =>
        _custom.Where(e => e.Key.Namespace == @namespace).Select(e => KeyValuePair.Create(e.Key.Name, e.Value));

    /// <summary>
    /// Why the attributes cannot be set on a workflow of <paramref name="namespace"/> (not settable, not registered, or a
    /// value not of the registered type; the messages a real server gives), or null when they can.
    /// </summary>
    public string? Problem(string @namespace, SearchAttributes? attributes)
    {
        if (attributes == null)
        {
            return null;
        }
        foreach (var (name, value) in attributes.IndexedFields)
        {
            if (System.ContainsKey(name) || PredefinedInternal.ContainsKey(name))
            {
                return $"{name} attribute can't be set in SearchAttributes";
            }
            if (!PredefinedSettable.TryGetValue(name, out var type) && !_custom.TryGetValue((@namespace, name), out type))
            {
                return $"search attribute {name} is not defined";
            }
            if (SearchAttributeValue.Misfit(value, type) is { } shown)
            {
                return $"invalid value for search attribute {name} of type {type}: {shown}";
            }
        }
        return null;
    }
}
