using Parley.Client.Internal;
using Parley.Protocol;

namespace Parley.Client.Tests;

public class FrameIdGeneratorTests
{
    [Fact]
    public void IdsAreUniqueAndWithinTheProtocolsLength()
    {
        var ids = new FrameIdGenerator();

        var made = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        Assert.Equal(made.Count, made.Distinct(StringComparer.Ordinal).Count());
        Assert.All(made, id => Assert.InRange(id.Length, 1, ProtocolLimits.MaxIdLength));
    }

    [Fact]
    public void TwoClientsNeverShareAnId()
    {
        // the server keeps a send's id per user for 24 hours: a later process must not repeat one
        var first = new FrameIdGenerator().Next();
        var second = new FrameIdGenerator().Next();

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('.')[0], second.Split('.')[0]);
    }

    [Fact]
    public void IdsMadeFromManyThreadsAreUnique()
    {
        var ids = new FrameIdGenerator();
        var made = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                made.Add(ids.Next());
            }
        });

        Assert.Equal(8_000, made.Distinct(StringComparer.Ordinal).Count());
    }
}
