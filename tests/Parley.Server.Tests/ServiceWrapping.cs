using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Server.Tests;

/// <summary>How a test puts a wrapper of its own around one of the server's real services.</summary>
internal static class ServiceWrapping
{
    /// <summary>
    /// Replaces the singleton registered for <typeparamref name="TService"/> in <paramref name="builder"/>
    /// with <paramref name="wrap"/> of the one the server would have built; <paramref name="built"/> gets
    /// the wrapper once the server builds it.
    /// </summary>
    public static void WrapSingleton<TService, TWrapper>(WebApplicationBuilder builder, Func<TService, TWrapper> wrap, TaskCompletionSource<TWrapper> built)
        where TService : class
        where TWrapper : TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(wrap);
        ArgumentNullException.ThrowIfNull(built);
        var registered = builder.Services.Single(d => d.ServiceType == typeof(TService));
        builder.Services.Remove(registered);
        builder.Services.AddSingleton<TService>(services =>
        {
            var wrapper = wrap((TService)registered.ImplementationFactory!(services));
            built.SetResult(wrapper);
            return wrapper;
        });
    }
}
