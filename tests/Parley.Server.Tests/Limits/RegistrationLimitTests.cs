using Parley.Server.Limits;
using Parley.Server.Tests.Storage;

namespace Parley.Server.Tests.Limits;

/// <summary>The registration limit keeps an address only as long as its hour lasts.</summary>
public sealed class RegistrationLimitTests
{
    [Fact]
    public void AnAddressThatRegisteredOnceAndNeverCameBackIsForgottenAfterItsHour()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var limit = new RegistrationLimit(new LimitOptions(), clock);
        for (var i = 0; i < 1000; i++)
        {
            limit.Registered($"10.0.{i / 256}.{i % 256}");
        }

        clock.Advance(TimeSpan.FromHours(1));
        limit.Registered("10.9.9.9");

        Assert.Equal(1, limit.AddressesKept);
    }

    [Fact]
    public void AnAddressWithinItsHourIsKeptAndStillLimited()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var limit = new RegistrationLimit(new LimitOptions { RegistrationsPerAddressHourly = 2 }, clock);
        limit.Registered("10.0.0.1");
        limit.Registered("10.0.0.1");

        clock.Advance(TimeSpan.FromMinutes(59));
        limit.Registered("10.0.0.2");

        Assert.Equal(2, limit.AddressesKept);
        Assert.Equal(TimeSpan.FromMinutes(1), limit.MustWait("10.0.0.1"));
    }
}
