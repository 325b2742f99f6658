package dev.berth.storage;

import java.net.http.HttpClient;

/** One way of obtaining a Swift token: tempauth (v1) or Keystone v3. */
interface SwiftAuth {

    /** Authenticates from scratch; fails with a {@link StorageException} naming the auth URL. */
    SwiftSession authenticate(HttpClient http);
}
