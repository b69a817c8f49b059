/**
 * A CA as the `selfsigned` package made them for earlier hooklet versions:
 * subject as PrintableString, no subjectKeyIdentifier. Test-only key.
 */
export const legacyCa = {
  certPem: `-----BEGIN CERTIFICATE-----
MIIBRDCB6qADAgECAglTB5ihlkYHUgcwCgYIKoZIzj0EAwIwFTETMBEGA1UEAxMK
aG9va2xldC1jYTAeFw0wMDAxMDEwMDAwMDBaFw00OTEyMzEwMDAwMDBaMBUxEzAR
BgNVBAMTCmhvb2tsZXQtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ03cqi
2gipd/J29j3LIBEOQukNoX+ZM7nUx2sgZc+t47MhO2YoU6inzVC1hGXwbt31gvGR
a2S8FdQPvNpJnhu4oyMwITAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIB
hjAKBggqhkjOPQQDAgNJADBGAiEArj50iutepVBgLZ3lE7u7pTwSL7jwpLVHEu+n
GzX00I8CIQCXwUKzsAPMDVDRZY0zU8n2UDLDS5zdtrqkIGY4rP4Kow==
-----END CERTIFICATE-----
`,
  keyPem: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzWimz9+sSrTLgAZ1
+B8rG1utpDZUNbQXAM4DX/T0whihRANCAAQ03cqi2gipd/J29j3LIBEOQukNoX+Z
M7nUx2sgZc+t47MhO2YoU6inzVC1hGXwbt31gvGRa2S8FdQPvNpJnhu4
-----END PRIVATE KEY-----
`,
};
