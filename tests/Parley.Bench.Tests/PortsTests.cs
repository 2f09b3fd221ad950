namespace Parley.Bench.Tests;

/// <summary>How <c>--ports</c> spreads the users of a run (or of each shard) over the nodes of a cluster.</summary>
public sealed class PortsTests
{
    [Fact]
    public void UsersGoRoundRobinOverThePorts()
    {
        var options = BenchOptions.Parse(["--ports", "101,102", "--server-pid", "7,8", "--users", "20"]);

        Assert.Equal([101, 102, 101, 102], Enumerable.Range(0, 4).Select(options.PortFor));
        Assert.Equal([7, 8], options.ServerPids);
        Assert.Equal(7, options.ServerPid);
    }

    [Fact]
    public void EachShardHasUsersOnEveryNode()
    {
        var options = BenchOptions.Parse(["--ports", "101,102", "--shard", "0/2", "--users", "20"]);

        // shard 0 holds users 0, 2, 4, 6
        Assert.Equal([101, 102, 101, 102], new[] { 0, 2, 4, 6 }.Select(options.PortFor));
    }

    [Fact]
    public void WithoutPortsEveryUserGoesToPort()
    {
        var options = BenchOptions.Parse(["--port", "55", "--users", "20"]);

        Assert.Equal(55, options.PortFor(3));
    }
}
