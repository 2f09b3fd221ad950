using Parley.Server.Tests.Protocol;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

// The whole protocol suite of the core, over both transports, against two nodes on PostgreSQL + Redis.

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpChatTests(ClusterEngines engines) : ChatTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketChatTests(ClusterEngines engines) : ChatTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpRoomsAndPresenceTests(ClusterEngines engines) : RoomsAndPresenceTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketRoomsAndPresenceTests(ClusterEngines engines) : RoomsAndPresenceTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpGuaranteeTests(ClusterEngines engines) : GuaranteeTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketGuaranteeTests(ClusterEngines engines) : GuaranteeTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpErrorCodeTests(ClusterEngines engines) : ErrorCodeTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketErrorCodeTests(ClusterEngines engines) : ErrorCodeTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpLivenessTests(ClusterEngines engines) : LivenessTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketLivenessTests(ClusterEngines engines) : LivenessTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpMalformedInputTests(ClusterEngines engines) : MalformedInputTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketMalformedInputTests(ClusterEngines engines) : MalformedInputTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpIdentityTests(ClusterEngines engines) : IdentityTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketIdentityTests(ClusterEngines engines) : IdentityTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterTcpNameRulesTests(ClusterEngines engines) : NameRulesTests(Transport.Tcp, TwoNodeCluster.Factory(engines));

[Collection(ClusterCollection.Name)]
public sealed class ClusterWebSocketNameRulesTests(ClusterEngines engines) : NameRulesTests(Transport.WebSocket, TwoNodeCluster.Factory(engines));
