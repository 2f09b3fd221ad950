using Microsoft.Playwright;

namespace Parley.Web.Tests;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright. Playwright's own browser
/// download cannot work here: the system's <c>/usr/bin/chromium</c> is launched instead, with
/// every background network feature off (nothing leaves the machine).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The Debian package's browser (test.sh installs it when missing).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] LaunchArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The running browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run ./test.sh, which installs the Debian package chromium.");
        // CI is slow and noisy: expectations wait as long as the rest of the suite does
        Assertions.SetDefaultExpectTimeout((float)Parley.Testing.Waits.Frame.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = LaunchArguments,
        });
    }

    /// <summary>
    /// A fresh browser profile (one user) in a fixed time zone and locale, so that the times the
    /// page shows can be checked against the server's timestamps.
    /// </summary>
    /// <remarks>With <paramref name="ignoreHttpsErrors"/>, the profile takes a test's self-signed certificate, as a person who clicked through the warning.</remarks>
    public Task<IBrowserContext> NewUserAsync(int width = 1280, int height = 800, ColorScheme colorScheme = ColorScheme.Light, bool ignoreHttpsErrors = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = ChatPage.Locale,
            TimezoneId = ChatPage.TimeZone,
            ColorScheme = colorScheme,
            IgnoreHTTPSErrors = ignoreHttpsErrors,
        });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
