"""xdomea 3.1.0: the messages dach exchanges with the public archive (Aussonderung 0501–0506) and with other
authorities (Abgabe 0401), built and read here, each validated against the official schemas."""
