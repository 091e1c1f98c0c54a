/**
 * Neural-network building blocks on top of the ops: modules with named parameters, layers, losses,
 * initialisers, optimisers and training. (Arrives with its own issue.)
 */
package dev.wengert.nn;
