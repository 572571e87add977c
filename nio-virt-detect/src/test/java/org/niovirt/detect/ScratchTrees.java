package org.niovirt.detect;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests that edit unpacked captures: a fresh scratch directory per test, deleted after it. */
abstract class ScratchTrees {
  Path temp;

  @BeforeEach
  void scratch() {
    temp = Captures.scratchDirectory();
  }

  @AfterEach
  void clean() {
    TreeEditor.deleteRecursively(temp);
  }
}
