using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>A basket filled by updates: one validated and answered at once, one answered only after a signal.</summary>
[Workflow]
public class BasketWorkflow
{
    private readonly List<string> _items = [];
    private bool _released;
    private bool _closed;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => _closed && Workflow.AllHandlersFinished);
        return string.Join(",", _items);
    }

    [WorkflowUpdateValidator(nameof(AddItemAsync))]
    public void ValidateAddItem(string item)
    {
        if (string.IsNullOrWhiteSpace(item))
        {
            throw new ArgumentException("an item needs a name");
        }
    }

    [WorkflowUpdate]
    public Task<int> AddItemAsync(string item)
    {
        _items.Add(item);
        return Task.FromResult(_items.Count);
    }

    [WorkflowUpdate]
    public async Task<string> AddAfterReleaseAsync(string item)
    {
        await Workflow.WaitConditionAsync(() => _released);
        _items.Add(item);
        return string.Join(",", _items);
    }

    [WorkflowSignal]
    public Task ReleaseAsync()
    {
        _released = true;
        return Task.CompletedTask;
    }

    [WorkflowSignal]
    public Task CloseAsync()
    {
        _closed = true;
        return Task.CompletedTask;
    }
}
