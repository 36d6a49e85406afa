using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class MemoUpsertTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpsertMemo_UnsetKey_RemovesIt(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((MemoUnsetWorkflow wf) => wf.RunAsync(), new(NewId("memo-unset"), tq)
            {
                Memo = new Dictionary<string, object> { ["origin"] = "test", ["other"] = "stays" },
            });
            await h.GetResultAsync();
            return h;
        });
        var memo = (await handle.DescribeAsync()).Memo;
        Assert.False(memo.ContainsKey("origin"));
        Assert.Equal("stays", await memo["other"].ToValueAsync<string>());
        Assert.Equal("yes", await memo["kept"].ToValueAsync<string>());
        await AssertReplaysAsync(handle);
    }
}
