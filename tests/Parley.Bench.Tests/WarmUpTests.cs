namespace Parley.Bench.Tests;

/// <summary>How long a sending run loads the server before it starts measuring.</summary>
public sealed class WarmUpTests
{
    [Fact]
    public void ByDefaultAFifthOfTheDurationBetweenHalfASecondAndThree()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), BenchOptions.Parse(["--duration", "10"]).WarmUpTime);
        Assert.Equal(TimeSpan.FromSeconds(0.5), BenchOptions.Parse(["--duration", "1"]).WarmUpTime);
        Assert.Equal(TimeSpan.FromSeconds(3), BenchOptions.Parse(["--duration", "60"]).WarmUpTime);
    }

    [Fact]
    public void TheOptionSetsItWhateverTheDuration()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), BenchOptions.Parse(["--duration", "10", "--warmup", "10"]).WarmUpTime);
        Assert.Equal(TimeSpan.FromSeconds(0.25), BenchOptions.Parse(["--warmup", "0.25"]).WarmUpTime);
    }
}
