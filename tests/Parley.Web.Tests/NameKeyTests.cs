using Parley.Protocol;
using Parley.Testing;

namespace Parley.Web.Tests;

/// <summary>The browser tells names apart exactly as the server does.</summary>
public sealed class NameKeyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string[] UserNames =
    [
        "alice", "Alice", "ALICE", "bob_the-builder.v2",
        "Straße", "STRASSE", "strasse", "STRAẞE", "ẞ",
        "Σοφος", "ΣΟΦΟΣ", "Οδυσσευς", "Αλίκη", "\u03b1\u0345\u0301", "\u1fb3",
        "ａｄｍｉｎ", "ＡＤＭＩＮ", "ｶﾞｷﾞ",
        "Ame\u0301lie", "ÉLODIE", "İstanbul", "ıspanak", "IRIS",
        "ᏣᎳᎩ", "ꮳꮃꭹ", "𐐀𐐁", "Алиса", "田中さん", "கி", "क्ष", "علي", "한국어",
    ];

    private static readonly string[] Rooms = ["#lobby", "#Dev", "#ｌｏｂｂｙ", "#Straße", "#ÉTÉ", "#Москва"];

    [Fact]
    public async Task The_browsers_name_key_is_the_servers_for_every_name()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var page = await ChatPage.OpenAsync(context, server.Http);

        var names = UserNames.Concat(Rooms).ToArray();
        var inBrowser = await page.Page.EvaluateAsync<string[]>("""
            async names => {
              const { nameKey } = await import('/js/state/name-key.js');
              return names.map(nameKey);
            }
            """, names);

        Assert.Equal(names.Select(ServerKey), inBrowser);
    }

    [Fact]
    public async Task Strasse_written_three_ways_is_one_conversation_in_the_browser_as_on_the_server()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var page = await ChatPage.OpenAsync(context, server.Http);

        string[] spellings = ["Straße", "STRASSE", "strasse"];
        var conversations = await page.Page.EvaluateAsync<int>("""
            spellings => {
              const state = window.parley.state;
              for (const name of spellings) {
                state.ensureConversation(name);
              }
              return state.conversations.size;
            }
            """, spellings);

        Assert.Equal(1, conversations);
        Assert.Single(spellings.Select(ServerKey).Distinct());
    }

    private static string ServerKey(string name)
    {
        var valid = Names.IsRoom(name) ? Names.TryNormalizeRoom(name, out var key) : Names.TryNormalizeUser(name, out _, out key);
        Assert.True(valid, $"{name} is not a valid name: the list should hold valid names only.");
        return key;
    }
}
