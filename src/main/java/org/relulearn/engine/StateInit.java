package org.relulearn.engine;

import java.io.Serializable;
import org.relulearn.data.Block;

/** The initial state of one block (for example zeros of rows x width). */
@FunctionalInterface
public interface StateInit<S extends Serializable> extends Serializable {
    S init(Block block);
}
