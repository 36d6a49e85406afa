using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// A search-attribute value must decode as the attribute's registered type, as a real server's validator checks it:
/// a value of the type or a list of such values, a KeywordList only a list of strings.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class SearchAttributeTypeTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Theory]
    [InlineData("text", IndexedValueType.Int, false)]
    [InlineData("fraction", IndexedValueType.Int, false)]
    [InlineData("texts", IndexedValueType.Int, false)]
    [InlineData("whole", IndexedValueType.Keyword, false)]
    [InlineData("text", IndexedValueType.KeywordList, false)]
    [InlineData("whole", IndexedValueType.KeywordList, false)]
    [InlineData("text", IndexedValueType.Bool, false)]
    [InlineData("text", IndexedValueType.Datetime, false)]
    [InlineData("flag", IndexedValueType.Double, false)]
    [InlineData("whole", IndexedValueType.Int, true)]
    [InlineData("whole", IndexedValueType.Double, true)]
    [InlineData("fraction", IndexedValueType.Double, true)]
    [InlineData("text", IndexedValueType.Keyword, true)]
    [InlineData("text", IndexedValueType.Text, true)]
    [InlineData("texts", IndexedValueType.Keyword, true)]
    [InlineData("texts", IndexedValueType.KeywordList, true)]
    [InlineData("flag", IndexedValueType.Bool, true)]
    [InlineData("instant", IndexedValueType.Datetime, true)]
    public async Task Start_Value_AcceptedOnlyWhenOfTheRegisteredType(string value, IndexedValueType registered, bool accepted)
    {
        var name = await RegisterAsync(registered);
        if (!accepted)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => StartAsync(name, value));
            Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
            Assert.Contains($"invalid value for search attribute {name} of type {registered}", error.Message);
            return;
        }
        var handle = await StartAsync(name, value);
        var description = await handle.DescribeAsync();
        Assert.Contains(description.TypedSearchAttributes.UntypedValues.Keys, k => k.Name == name);
        await handle.TerminateAsync("test over");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upsert_TextIntoIntAttribute_FailsWorkflowTask(bool cache)
    {
        await RegisterSearchAttributesAsync(SearchAttributeKey.CreateLong(WrongTypeSearchAttributeWorkflow.IntAttribute));
        await WithWorkerAsync(cache, async tq =>
        {
            var handle = await Client.StartWorkflowAsync((WrongTypeSearchAttributeWorkflow wf) => wf.RunAsync(), new(NewId("sa-type-upsert"), tq));
            // The task's outcome: failed, or (wrongly) the upsert recorded.
            var outcome = await handle.FetchHistoryEventsAsync(new WorkflowHistoryEventFetchOptions { WaitNewEvent = true })
                .FirstAsync(e => e.EventType is EventType.WorkflowTaskFailed or EventType.UpsertWorkflowSearchAttributes)
                .AsTask().WaitAsync(FlashFundX.TestSupport.Eventually.DefaultTimeout);
            Assert.Equal(EventType.WorkflowTaskFailed, outcome.EventType);
            var history = await handle.FetchHistoryAsync();
            var failed = history.Events.First(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes;
            Assert.Equal(WorkflowTaskFailedCause.BadSearchAttributes, failed.Cause);
            Assert.Contains($"invalid value for search attribute {WrongTypeSearchAttributeWorkflow.IntAttribute} of type Int", failed.Failure.Message);
            Assert.DoesNotContain(history.Events, e => e.EventType == EventType.UpsertWorkflowSearchAttributes);
            await handle.TerminateAsync("test over");
        });
    }

    private async Task<string> RegisterAsync(IndexedValueType type)
    {
        var name = $"EtTyped{type}";
        SearchAttributeKey key = type switch
        {
            IndexedValueType.Int => SearchAttributeKey.CreateLong(name),
            IndexedValueType.Double => SearchAttributeKey.CreateDouble(name),
            IndexedValueType.Keyword => SearchAttributeKey.CreateKeyword(name),
            IndexedValueType.Text => SearchAttributeKey.CreateText(name),
            IndexedValueType.KeywordList => SearchAttributeKey.CreateKeywordList(name),
            IndexedValueType.Bool => SearchAttributeKey.CreateBool(name),
            IndexedValueType.Datetime => SearchAttributeKey.CreateDateTimeOffset(name),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        await RegisterSearchAttributesAsync(key);
        return name;
    }

    /// <summary>Starts a workflow carrying <paramref name="value"/> under <paramref name="name"/>, sent as its own type.</summary>
    private Task<WorkflowHandle<SignalQueryWorkflow, string>> StartAsync(string name, string value)
    {
        var builder = new SearchAttributeCollection.Builder();
        _ = value switch
        {
            "text" => builder.Set(SearchAttributeKey.CreateKeyword(name), "not a number"),
            "texts" => builder.Set(SearchAttributeKey.CreateKeywordList(name), ["a", "b"]),
            "whole" => builder.Set(SearchAttributeKey.CreateLong(name), 42),
            "fraction" => builder.Set(SearchAttributeKey.CreateDouble(name), 1.5),
            "flag" => builder.Set(SearchAttributeKey.CreateBool(name), true),
            "instant" => builder.Set(SearchAttributeKey.CreateDateTimeOffset(name), new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero)),
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };
        return Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("sa-type"), TemporalTestEnvironment.NewTaskQueue())
        {
            TypedSearchAttributes = builder.ToSearchAttributeCollection(),
        });
    }
}
